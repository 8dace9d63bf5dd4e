import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInference, type Inference } from '../index.js';
import { PORTRAIT_SOURCES, photographDocument, renderDocument } from './testing/document-generator.js';
import { ICAO_TD3_SPECIMEN } from './testing/mrz-builder.js';

// analyzeDocument through the inference box: the document task in the worker pool, the
// portrait through the face pipeline on the other worker, matched against the person's photo.

let inference: Inference;

beforeAll(async () => {
  inference = await createInference({ workers: 2 });
});

afterAll(async () => {
  await inference?.dispose();
});

describe('analyzeDocument (pool)', () => {
  it('returns fields, MRZ checks, timings and a portrait that matches the holder’s own photo', async () => {
    const document = await renderDocument({ format: 'TD3', identity: ICAO_TD3_SPECIMEN, portrait: 0 });
    const { image } = await photographDocument(document, { rotation: 3, perspective: 0.02, jpegQuality: 88 });
    const result = await inference.analyzeDocument(image, { now: new Date('2010-01-01T00:00:00Z') });
    expect(result.mrz?.valid).toBe(true);
    expect(result.fields.find((f) => f.name === 'surname')?.value).toBe('ERIKSSON');
    expect(result.warnings.map((w) => w.code)).toEqual([]);
    expect(result.timings.total).toBeGreaterThan(0);
    expect(result.timings.detect).toBeGreaterThan(0);
    expect(result.timings.portrait).toBeGreaterThan(0);

    const face = result.portrait?.face;
    expect(face?.embedding).toHaveLength(512);
    // The portrait was cut from this demo photo: the same person, photographed directly.
    const source = PORTRAIT_SOURCES[0]!;
    const photo = await readFile(fileURLToPath(new URL(`../../node_modules/@vladmandic/face-api/demo/${source.file}`, import.meta.url)));
    const { x, y, width, height } = source.box;
    const selfie = await sharp(photo)
      .extract({ left: Math.max(0, x - width), top: Math.max(0, y - height), width: width * 3, height: height * 3 })
      .jpeg()
      .toBuffer();
    const comparison = await inference.compareFaces(face!.embedding!, selfie);
    expect(comparison.match).toBe(true);
  });

  it('refuses what is not an image with BAD_IMAGE, and reports DOCUMENT_FACE_NOT_FOUND without a portrait', async () => {
    await expect(inference.analyzeDocument(new TextEncoder().encode('%PDF-1.7 not an image'))).rejects.toMatchObject({ code: 'BAD_IMAGE' });
    const blank = await sharp({ create: { width: 640, height: 400, channels: 3, background: '#d0d0d0' } }).jpeg().toBuffer();
    const result = await inference.analyzeDocument(blank);
    expect(result.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['UNRECOGNIZED_DOCUMENT', 'DOCUMENT_FACE_NOT_FOUND']));
    expect(result.portrait).toEqual({ face: null });
    const without = await inference.analyzeDocument(blank, { portrait: false });
    expect(without.portrait).toBeNull();
  });
});
