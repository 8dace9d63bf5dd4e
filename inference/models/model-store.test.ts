import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InferenceError } from '../inference.errors.js';
import { FACE_MODELS } from './model-catalog.js';
import { batchedName, CONVERSION_VERSION, ensureModels, installModels, modelPath, readManifest, verifyModels } from './model-store.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'idgraph-models-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('model store', () => {
  it('installs the face models from their npm package with a manifest', async () => {
    const dir = await tempDir();
    const manifest = await installModels(dir, FACE_MODELS);
    expect(manifest.models.map((m) => m.name)).toEqual(FACE_MODELS.flatMap((m) => [m.name, batchedName(m)]));
    for (const entry of manifest.models) {
      expect(entry).toMatchObject({ sourcePackage: 'faceplugin-face-recognition-js', sourceVersion: '0.0.1', licence: 'MIT' });
      expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.provenance).toMatch(/not published/);
      expect((await readFile(join(dir, entry.file))).length).toBe(entry.bytes);
    }
    expect(await readManifest(dir)).toEqual(manifest);
    expect(await verifyModels(dir, FACE_MODELS)).toEqual([]);
  });

  it('derives the batch-capable graphs deterministically, recorded with what they came from', async () => {
    const [first, second] = [await tempDir(), await tempDir()];
    const a = await installModels(first, FACE_MODELS);
    const b = await installModels(second, FACE_MODELS);
    const feature = a.models.find((m) => m.name === 'fr_feature')!;
    const derived = a.models.find((m) => m.name === 'fr_feature.batch')!;
    expect(derived).toMatchObject({
      file: 'fr_feature.batch.onnx',
      derivedFrom: { name: 'fr_feature', sha256: feature.sha256 },
      input: 'input float32[batch,3,112,112] RGB (v-127)/128',
      licence: 'MIT',
    });
    expect(derived.conversion).toMatch(new RegExp(`^${CONVERSION_VERSION}: first dimension of input, output → "batch"; Reshape shapes \\S+: leading 1 → 0`));
    expect(derived.sha256).not.toBe(feature.sha256);
    // Same packaged file, same derived bytes: the manifests agree on every sha256.
    expect(b.models.map((m) => m.sha256)).toEqual(a.models.map((m) => m.sha256));
  });

  it('re-derives a batch graph written by another conversion version', async () => {
    const dir = await tempDir();
    const manifest = await installModels(dir, FACE_MODELS);
    const stale = manifest.models.map((m) => (m.name === 'fr_liveness.batch' ? { ...m, conversion: 'symbolic-batch/0: older' } : m));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, models: stale }));
    expect(await verifyModels(dir, FACE_MODELS)).toEqual(['fr_liveness.batch']);
    await ensureModels(dir, FACE_MODELS, { install: true });
    expect(await verifyModels(dir, FACE_MODELS)).toEqual([]);
  });

  it('detects a corrupted model and reinstalls it', async () => {
    const dir = await tempDir();
    await installModels(dir, FACE_MODELS);
    await writeFile(modelPath(dir, { name: 'fr_feature' }), 'not a model');
    expect(await verifyModels(dir, FACE_MODELS)).toEqual(['fr_feature']);
    await ensureModels(dir, FACE_MODELS, { install: true });
    expect(await verifyModels(dir, FACE_MODELS)).toEqual([]);
  });

  it('answers MODELS_MISSING when installing is not allowed', async () => {
    const dir = await tempDir();
    const error = await ensureModels(dir, FACE_MODELS, { install: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).code).toBe('MODELS_MISSING');
    expect((error as InferenceError).details).toMatchObject({ models: FACE_MODELS.flatMap((m) => [m.name, batchedName(m)]) });
  });
});
