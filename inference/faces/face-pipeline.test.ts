import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSample, SAMPLE_FACE_COUNTS } from '../../test/fixtures/faces/face-fixtures.js';
import { decodeImage, type DecodedImage } from '../image/image-decoder.js';
import { defaultInferenceOptions, resolveInferenceOptions } from '../inference.options.js';
import { FACE_MODELS } from '../models/model-catalog.js';
import { ensureModels } from '../models/model-store.js';
import type { LoadedModel } from '../runtime/onnx-runtime.js';
import { analyzeImages } from './face-pipeline.js';
import { type FaceModels, loadFaceModels, releaseFaceModels } from './face-models.js';

let models: FaceModels;
/** Batch size of every `session.run`, by model. */
const runs = new Map<string, number[]>();
const photos: DecodedImage[] = [];

beforeAll(async () => {
  const { modelsDir } = resolveInferenceOptions();
  await ensureModels(modelsDir, FACE_MODELS, { install: true });
  models = await loadFaceModels(modelsDir, { device: 'cpu', threads: 1, warn: () => {} });
  for (const [name, model] of Object.entries(models) as Array<[string, LoadedModel]>) {
    const run = model.session.run.bind(model.session);
    // Counts runs and their batch size, then runs for real.
    (model.session as { run: unknown }).run = (feeds: Record<string, { dims: readonly number[] }>, ...rest: unknown[]) => {
      runs.set(name, [...(runs.get(name) ?? []), Object.values(feeds)[0]!.dims[0]!]);
      return (run as (...args: unknown[]) => unknown)(feeds, ...rest);
    };
  }
  for (const name of ['sample1.jpg', 'sample4.jpg']) photos.push(await decodeImage(await readSample(name), defaultInferenceOptions().image));
});

afterAll(async () => {
  if (models) await releaseFaceModels(models);
});

describe('face pipeline batching', () => {
  it('runs the faces of several photos through each model in one session.run, with the results of one photo at a time', async () => {
    const faceCount = SAMPLE_FACE_COUNTS['sample1.jpg']! + SAMPLE_FACE_COUNTS['sample4.jpg']!;
    runs.clear();
    const together = await analyzeImages(models, photos.map((image) => ({ image, options: { search: 'fast' } })));
    expect(together.map((r) => r.faces.length)).toEqual([SAMPLE_FACE_COUNTS['sample1.jpg'], SAMPLE_FACE_COUNTS['sample4.jpg']]);
    // One run per model for all seven faces (landmarks: a second run for the rolled heads of sample4).
    expect(runs.get('feature')).toEqual([faceCount]);
    expect(runs.get('liveness')).toEqual([faceCount]);
    expect(runs.get('age')).toEqual([faceCount]);
    expect(runs.get('gender')).toEqual([faceCount]);
    expect(runs.get('landmark')![0]).toBe(faceCount);
    expect(runs.get('detect')).toEqual([2]); // the first (here only) pass of both photos

    const alone = [];
    for (const image of photos) alone.push(...(await analyzeImages(models, [{ image, options: { search: 'fast' } }])));
    let worst = 0;
    for (const [i, result] of together.entries()) {
      for (const [j, face] of result.faces.entries()) {
        const single = alone[i]!.faces[j]!;
        expect(face.box).toEqual(single.box);
        expect(face.landmarks68).toEqual(single.landmarks68);
        for (const [k, v] of face.embedding!.entries()) worst = Math.max(worst, Math.abs(v - single.embedding![k]!));
        expect(face.liveness!.score).toBeCloseTo(single.liveness!.score, 4);
        expect(face.age).toBeCloseTo(single.age!, 1);
        expect(face.gender).toEqual(single.gender);
      }
    }
    expect(worst).toBeLessThan(1e-4);
    // Stage times are shared out, not lost: each photo gets a part of the one embedding run.
    expect(together.every((r) => r.timings.embed > 0)).toBe(true);
  });

  it('searches only the given region, and reports the faces there in whole-image pixels', async () => {
    const [photo] = photos;
    const [whole] = await analyzeImages(models, [{ image: photo!, options: { search: 'fast' } }]);
    const target = whole!.faces[1]!.box;
    const region = { x: target.x - target.width, y: target.y - target.height, width: target.width * 3, height: target.height * 3 };
    const [inRegion] = await analyzeImages(models, [{ image: photo!, options: { search: 'fast', region } }]);
    expect(inRegion!.faces).toHaveLength(1);
    const found = inRegion!.faces[0]!.box;
    expect(Math.abs(found.x - target.x)).toBeLessThan(target.width * 0.15);
    expect(Math.abs(found.y - target.y)).toBeLessThan(target.height * 0.15);
    const outside = await analyzeImages(models, [{ image: photo!, options: { region: { x: photo!.width + 10, y: 0, width: 50, height: 50 } } }]);
    expect(outside[0]!.faces).toEqual([]);
  });

  it('finds nothing in an empty region without failing the requests batched with it', async () => {
    const [photo] = photos;
    const [empty, whole] = await analyzeImages(models, [
      { image: photo!, options: { search: 'thorough', region: { x: 40, y: 40, width: 0, height: 12 } } },
      { image: photo!, options: { search: 'fast' } },
    ]);
    expect(empty!.faces).toEqual([]);
    expect(whole!.faces.length).toBeGreaterThan(0);
  });
});
