import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACE_API_DEMO_DIR, selfieFrom } from '../../test/fixtures/faces/face-fixtures.js';
import { runIdgraph } from '../../test/support/cli-process.js';

// `npx idgraph faces detect|compare` as a user runs them: the CLI in a child process, from a directory outside the
// package, JSON on stdout.

const SAMPLE = join(FACE_API_DEMO_DIR, 'sample1.jpg');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idgraph-faces-cli-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function idgraph(...args: string[]): Promise<{ code: number | null; json: Record<string, unknown> }> {
  const run = await runIdgraph(args, { cwd: dir });
  return { code: run.code, json: JSON.parse(run.stdout) as Record<string, unknown> };
}

interface DetectedFace {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  size: number;
  tooSmall: boolean;
  age: number;
  gender: { value: string; score: number };
  liveness: { score: number };
  landmarks5: unknown[];
  landmarks68: number;
  embedding?: number[];
}

describe('idgraph faces', () => {
  let faces: DetectedFace[] = [];

  it('detect prints every face with box, score, size, age, gender, liveness and timings', { timeout: 300_000 }, async () => {
    const { code, json } = await idgraph('faces', 'detect', SAMPLE, '--json');
    expect(code).toBe(0);
    expect(json['image']).toEqual({ file: SAMPLE, width: 1920, height: 1280 });
    faces = json['faces'] as DetectedFace[];
    expect(faces).toHaveLength(3);
    for (const face of faces) {
      expect(face).toMatchObject({ tooSmall: false, landmarks68: 68 });
      expect(face.score).toBeGreaterThan(0.9);
      expect(face.size).toBeGreaterThanOrEqual(100);
      expect(face.size).toBeLessThanOrEqual(Math.min(face.box.width, face.box.height));
      expect(face.landmarks5).toHaveLength(5);
      expect(face.age).toBeGreaterThan(12);
      expect(['female', 'male']).toContain(face.gender.value);
      expect(face.liveness.score).toBeGreaterThanOrEqual(0);
      expect(face.embedding).toBeUndefined(); // only with --embedding
    }
    const timings = json['timings'] as Record<string, number>;
    expect(timings['total']).toBeGreaterThan(0);
    expect(timings['embed']).toBeGreaterThan(0);
    expect(timings['startup']).toBeGreaterThan(0);
  });

  it('compare says MATCH for the same person re-captured, NO_MATCH for two people, with the threshold', { timeout: 300_000 }, async () => {
    expect(faces).toHaveLength(3);
    const photo = await readFile(SAMPLE);
    const paths: string[] = [];
    for (const [i, face] of faces.slice(0, 2).entries()) {
      const selfie = await selfieFrom(photo, face.box);
      paths.push(join(dir, `selfie${i}.jpg`));
      await writeFile(paths[i]!, selfie);
    }
    const recapture = join(dir, 'recapture.jpg');
    await writeFile(recapture, await sharp(await readFile(paths[0]!)).modulate({ brightness: 0.7 }).resize(300).jpeg({ quality: 60 }).toBuffer());

    const same = await idgraph('faces', 'compare', paths[0]!, recapture, '--json');
    expect(same.code).toBe(0);
    expect(same.json).toMatchObject({ match: true, decision: 'MATCH', threshold: 0.45 });
    expect(same.json['similarity']).toBeGreaterThan(0.8);
    const [left, right] = same.json['faces'] as Array<{ file: string; size: number }>;
    expect([left!.file, right!.file]).toEqual([paths[0], recapture]);

    const different = await idgraph('faces', 'compare', paths[0]!, paths[1]!, '--json', '--threshold', '0.5');
    expect(different.code).toBe(0);
    expect(different.json).toMatchObject({ match: false, decision: 'NO_MATCH', threshold: 0.5 });
    expect(different.json['similarity']).toBeLessThan(0.45);
  });

  it('answers a file that is not an image with BAD_IMAGE and exit code 1', { timeout: 300_000 }, async () => {
    const text = join(dir, 'notes.jpg');
    await writeFile(text, 'not an image');
    const { code, json } = await idgraph('faces', 'compare', text, SAMPLE, '--json');
    expect(code).toBe(1);
    expect(json).toEqual({ error: { code: 'BAD_IMAGE', message: expect.any(String) } });
  });
});
