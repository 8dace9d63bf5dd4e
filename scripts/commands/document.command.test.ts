import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photographDocument, renderDocument } from '../../inference/documents/testing/document-generator.js';
import { ICAO_TD1_SPECIMEN } from '../../inference/documents/testing/mrz-builder.js';
import { runIdgraph } from '../../test/support/cli-process.js';

// `npx idgraph document analyze` as a user runs it: the CLI in a child process, from a directory outside the package
// (the models must still be found in the package's .models).

let dir: string;
let image: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idgraph-cli-'));
  const card = await renderDocument({ format: 'TD1', identity: ICAO_TD1_SPECIMEN, portrait: 2, breakCheck: 'composite' });
  image = join(dir, 'card.jpg');
  await writeFile(image, (await photographDocument(card, { rotation: 3, jpegQuality: 85 })).image);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('idgraph document analyze', () => {
  it('prints fields, MRZ check results and warnings as JSON, run from another directory', { timeout: 300_000 }, async () => {
    const { code, stdout, stderr } = await runIdgraph(['document', 'analyze', image, '--json', '--now', '2010-01-01', '--no-portrait'], { cwd: dir });
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ kind: 'ID_CARD', country: 'UTO', countryName: 'Utopia', image: { file: image } });
    const field = (name: string) => out.fields.find((f: { name: string }) => f.name === name);
    expect(field('surname')).toMatchObject({ value: 'ERIKSSON', isUnreadable: false });
    expect(field('documentNumber')?.value).toBe('D23145890');
    expect(field('birthDate')).toMatchObject({ value: '740812', valueUTC: '1974-08-12T00:00:00.000Z' });
    expect(out.mrz.format).toBe('TD1');
    expect(Object.fromEntries(out.mrz.checks.map((c: { name: string; valid: boolean }) => [c.name, c.valid]))).toEqual({ documentNumber: true, birthDate: true, expiryDate: true, composite: false });
    expect(out.warnings.filter((w: { code: string }) => w.code === 'CHECK_DIGIT_FAILED')).toEqual([
      expect.objectContaining({ severity: 'HIGH', params: { check: 'composite', digit: '7', expected: '6' } }),
    ]);
    expect(out.portrait).toBeUndefined();
    expect(out.timings.total).toBeGreaterThan(0);
    // The models came from the package's .models, not a fresh copy installed into the caller's directory.
    expect(existsSync(join(dir, '.models'))).toBe(false);
  });

  it('answers a file that is not an image with BAD_IMAGE and exit code 1', { timeout: 300_000 }, async () => {
    const text = join(dir, 'notes.jpg');
    await writeFile(text, 'not an image');
    const failure = await runIdgraph(['document', 'analyze', text, '--json', '--no-portrait'], { cwd: dir });
    expect(failure.code).toBe(1);
    expect(JSON.parse(failure.stdout)).toEqual({ error: { code: 'BAD_IMAGE', message: expect.any(String) } });
  });
});
