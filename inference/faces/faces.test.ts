import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  documentPhoto,
  readSample,
  SAME_FACE_VARIANTS,
  SAMPLE_FACE_COUNTS,
  selfieFrom,
} from '../../test/fixtures/faces/face-fixtures.js';
import { createInference, FACE_EMBEDDING_DIMENSIONS, FACE_MATCH_THRESHOLD, FACE_MODELS, type Face, type Inference, InferenceError, installModels } from '../index.js';

const SAMPLES = Object.keys(SAMPLE_FACE_COUNTS);
let inference: Inference;
/** Faces of every demo photo (fast search), by photo. */
const facesOf = new Map<string, Face[]>();
/** One selfie per photo, cut around its largest face. */
const selfies: Buffer[] = [];

beforeAll(async () => {
  inference = await createInference({ workers: 2 });
  await Promise.all(
    SAMPLES.map(async (name) => {
      const photo = await readSample(name);
      const { faces } = await inference.analyzeFaces(photo, { search: 'fast' });
      facesOf.set(name, faces);
    }),
  );
  for (const name of SAMPLES) selfies.push(await selfieFrom(await readSample(name), facesOf.get(name)![0]!.box));
});

afterAll(async () => {
  await inference?.dispose();
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InferenceError);
  return (error as InferenceError).code;
}

describe('face analysis on real photos', () => {
  it.each(SAMPLES)('finds every face of the group photo %s, with either search', async (name) => {
    expect(facesOf.get(name)).toHaveLength(SAMPLE_FACE_COUNTS[name]!);
    const thorough = await inference.analyzeFaces(await readSample(name), { search: 'thorough' });
    expect(thorough.faces).toHaveLength(SAMPLE_FACE_COUNTS[name]!);
  });

  it('measures each face completely', async () => {
    const photo = await readSample('sample1.jpg');
    const analysis = await inference.analyzeFaces(photo);
    expect([analysis.width, analysis.height]).toEqual([1920, 1280]);
    expect(analysis.timings.total).toBeGreaterThan(0);
    for (const face of analysis.faces) {
      expect(face.tooSmall).toBe(false);
      expect(face.size).toBeGreaterThanOrEqual(140);
      expect(face.score).toBeGreaterThan(0.9);
      expect(face.embedding).toHaveLength(FACE_EMBEDDING_DIMENSIONS);
      expect(Math.hypot(...face.embedding!)).toBeCloseTo(1, 5);
      expect(face.landmarks68).toHaveLength(68);
      expect(face.landmarks5).toHaveLength(5);
      const [leftEye, rightEye, nose, mouthLeft, mouthRight] = face.landmarks5;
      // Anatomy in the face's own frame (heads are tilted): eyes, then nose, then mouth along
      // the direction perpendicular to the eye line; left eye before right eye along it.
      const ex = rightEye!.x - leftEye!.x;
      const ey = rightEye!.y - leftEye!.y;
      expect(ex).toBeGreaterThan(0);
      const down = (p: { x: number; y: number }) => (-ey * (p.x - leftEye!.x) + ex * (p.y - leftEye!.y)) / Math.hypot(ex, ey);
      expect(down(rightEye!)).toBeCloseTo(0, 6);
      expect(down(nose!)).toBeGreaterThan(0);
      expect(down(nose!)).toBeLessThan(Math.min(down(mouthLeft!), down(mouthRight!)));
      for (const p of face.landmarks5) {
        expect(p.x).toBeGreaterThan(face.box.x);
        expect(p.x).toBeLessThan(face.box.x + face.box.width);
      }
      expect(face.liveness!.score).toBeGreaterThanOrEqual(0);
      expect(face.liveness!.score).toBeLessThanOrEqual(1);
      expect(face.liveness!.classes.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(face.age).toBeGreaterThan(12);
      expect(face.age).toBeLessThan(70);
      expect(['female', 'male']).toContain(face.gender!.value);
      expect(face.sharpness).toBeGreaterThan(0);
    }
  });

  it('matches the same face across crops, scaling, recompression, brightness, rotation and greyscale', async () => {
    const failures: string[] = [];
    let worst = 1;
    for (const [i, selfie] of selfies.entries()) {
      for (const [variant, make] of SAME_FACE_VARIANTS) {
        const result = await inference.compareFaces(selfie, await make(selfie));
        worst = Math.min(worst, result.similarity);
        if (!result.match) failures.push(`${SAMPLES[i]} ${variant}: ${result.similarity.toFixed(3)}`);
      }
    }
    expect(failures).toEqual([]);
    // A margin, not only a pass: the weakest variant (a ±8° rotation) still clears the threshold by 0.1.
    expect(worst).toBeGreaterThan(FACE_MATCH_THRESHOLD + 0.1);
  });

  it('does not match different people (faces standing together in one photo)', async () => {
    const matches: string[] = [];
    let pairs = 0;
    for (const [name, faces] of facesOf) {
      for (let i = 0; i < faces.length; i++) {
        for (let j = i + 1; j < faces.length; j++) {
          pairs++;
          const result = await inference.compareFaces(faces[i]!.embedding!, faces[j]!.embedding!);
          expect(result.threshold).toBe(FACE_MATCH_THRESHOLD);
          if (result.match) matches.push(`${name} ${i}/${j}: ${result.similarity.toFixed(3)}`);
        }
      }
    }
    expect(pairs).toBe(31);
    expect(matches).toEqual([]);
  });

  it('flags a face under 30×30 px as too small, without an embedding, and compareFaces refuses it', async () => {
    const tinyFace = await sharp(selfies[0]).resize(48).toBuffer(); // face ≈ 22 px wide
    const canvas = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#777' } })
      .composite([{ input: tinyFace, left: 140, top: 90 }])
      .jpeg({ quality: 95 })
      .toBuffer();
    const { faces } = await inference.analyzeFaces(canvas, { search: 'thorough' });
    expect(faces).toHaveLength(1);
    expect(faces[0]).toMatchObject({ tooSmall: true, embedding: null, liveness: null, age: null, gender: null });
    expect(faces[0]!.size).toBeLessThan(30);
    expect(await codeOf(inference.compareFaces(canvas, selfies[0]!, { search: 'thorough' }))).toBe('FACE_TOO_SMALL');
  });

  it('finds the small portrait of an ID card photographed whole, and matches it to the selfie', async () => {
    const similarities: number[] = [];
    let foundFast = 0;
    for (const selfie of selfies) {
      // Portrait 140 px wide: the face is 60–75 px high and 30–70 px wide in a 1600×1200 photo, ~14 px for one fast pass.
      const document = await documentPhoto(selfie, 140);
      if ((await inference.analyzeFaces(document, { search: 'fast' })).faces.length > 0) foundFast++;
      const { faces } = await inference.analyzeFaces(document, { search: 'auto' });
      expect(faces).toHaveLength(1);
      expect(faces[0]!.tooSmall).toBe(false);
      expect(faces[0]!.size).toBeLessThan(75);
      similarities.push((await inference.compareFaces(selfie, faces[0]!.embedding!)).similarity);
    }
    expect(foundFast).toBeLessThan(selfies.length / 2); // one pass over the whole photo misses most: the pyramid finds them
    // At ~50 px the embedding degrades; the same person must still clear the threshold.
    console.info(`document portrait vs selfie: ${similarities.map((s) => s.toFixed(3)).join(', ')}`);
    expect(Math.min(...similarities)).toBeGreaterThan(FACE_MATCH_THRESHOLD);
  });

  it('answers NO_FACE for an image without a face', async () => {
    const empty = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#3a6' } }).png().toBuffer();
    expect((await inference.analyzeFaces(empty)).faces).toEqual([]);
    expect(await codeOf(inference.compareFaces(empty, selfies[0]!))).toBe('NO_FACE');
  });

  it('gives a corrupt image a typed error and the worker survives', async () => {
    const truncated = selfies[0]!.subarray(0, Math.floor(selfies[0]!.length * 0.6));
    expect(await codeOf(inference.analyzeFaces(truncated))).toBe('BAD_IMAGE');
    expect(await codeOf(inference.analyzeFaces(Buffer.from('%PDF-1.7 not an image')))).toBe('BAD_IMAGE');
    expect((await inference.analyzeFaces(selfies[0]!)).faces).toHaveLength(1);
    expect(inference.stats().workerRestarts).toBe(0);
  });

  it('compares embeddings directly and refuses malformed ones', async () => {
    const [a, b] = facesOf.get('sample1.jpg')!;
    const self = await inference.compareFaces(a!.embedding!, a!.embedding!);
    expect(self.similarity).toBeCloseTo(1, 6);
    expect(self.faces).toEqual([null, null]);
    expect((await inference.compareFaces(a!.embedding!, b!.embedding!)).match).toBe(false);
    expect(await codeOf(inference.compareFaces([1, 2, 3], a!.embedding!))).toBe('BAD_EMBEDDING');
  });
});

describe('face pool behaviour', () => {
  it('runs concurrent requests as one batch on a worker, each with its own answer', async () => {
    const one = await createInference({ workers: 1, batchSize: 8, batchWaitMs: 20 });
    try {
      const images = selfies.slice(0, 4);
      const alone = [];
      for (const image of images) alone.push(await one.analyzeFaces(image));
      const before = one.stats().batches;
      const together = await Promise.all(images.map((image) => one.analyzeFaces(image)));
      expect(one.stats().batches - before).toBe(1);
      for (const [i, analysis] of together.entries()) {
        expect(analysis.faces).toHaveLength(alone[i]!.faces.length);
        expect((await one.compareFaces(analysis.faces[0]!.embedding!, alone[i]!.faces[0]!.embedding!)).similarity).toBeGreaterThan(0.9999);
      }
    } finally {
      await one.dispose();
    }
  });

  it('answers BUSY when more selfies arrive than the queue holds, and serves the rest', async () => {
    const small = await createInference({ workers: 1, queueLimit: 1, batchSize: 2 });
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => small.analyzeFaces(selfies[1]!)));
      const codes = outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as InferenceError).code));
      // Two run as one batch, one waits, the other three are turned away at once.
      expect(codes).toEqual(['ok', 'ok', 'ok', 'BUSY', 'BUSY', 'BUSY']);
    } finally {
      await small.dispose();
    }
  });

  it('starts without the OCR models when the document task is off (the faces CLI)', async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), 'idgraph-face-models-'));
    try {
      await installModels(modelsDir, FACE_MODELS);
      const facesOnly = await createInference({ workers: 1, modelsDir, installModels: false, documents: false });
      try {
        expect((await facesOnly.analyzeFaces(selfies[0]!)).faces).toHaveLength(1);
        expect(await codeOf(facesOnly.analyzeDocument(selfies[0]!))).toBe('INTERNAL');
      } finally {
        await facesOnly.dispose();
      }
      // With the document task the same directory is refused: its OCR models are missing.
      expect(await codeOf(createInference({ workers: 1, modelsDir, installModels: false }))).toBe('MODELS_MISSING');
    } finally {
      await rm(modelsDir, { recursive: true, force: true });
    }
  });

  it('falls back from CUDA to CPU with a single warning when the provider is missing', async () => {
    const warn = vi.fn();
    const gpu = await createInference({ device: 'cuda', workers: 2, warn });
    try {
      expect((await gpu.analyzeFaces(selfies[2]!)).faces).toHaveLength(1);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/CUDA provider is not installed.*running on CPU/);
    } finally {
      await gpu.dispose();
    }
  });
});
