import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInference, type Inference } from '../index.js';
import { PORTRAIT_SOURCES, photographDocument, renderDocument } from './testing/document-generator.js';
import { ICAO_TD1_SPECIMEN, ICAO_TD3_SPECIMEN } from './testing/mrz-builder.js';

// analyzeDocument through the inference box: the document task in the worker pool, the
// portrait through the face pipeline on the other worker, matched against the person's photo.

let inference: Inference;

beforeAll(async () => {
  inference = await createInference({ workers: 2 });
});

afterAll(async () => {
  await inference?.dispose();
});

/** The holder's own photo the generator cut portrait `index` from. */
async function holderPhoto(index: number): Promise<Buffer> {
  const source = PORTRAIT_SOURCES[index]!;
  const photo = await readFile(fileURLToPath(new URL(`../../node_modules/@vladmandic/face-api/demo/${source.file}`, import.meta.url)));
  const { x, y, width, height } = source.box;
  return sharp(photo)
    .extract({ left: Math.max(0, x - width), top: Math.max(0, y - height), width: width * 3, height: height * 3 })
    .jpeg()
    .toBuffer();
}

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
    const comparison = await inference.compareFaces(face!.embedding!, await holderPhoto(0));
    expect(comparison.match).toBe(true);
  });

  it.each([90, 180, 270])('finds the portrait of a passport turned %i° on the upright crop, in photo pixels', async (turn) => {
    const document = await renderDocument({ format: 'TD3', identity: ICAO_TD3_SPECIMEN, portrait: 1 });
    const shot = await photographDocument(document, { rotation: turn + 4, documentScale: 0.6 });
    const result = await inference.analyzeDocument(shot.image, { now: new Date('2010-01-01T00:00:00Z') });
    expect(result.warnings.map((w) => w.code)).toEqual([]);
    expect(result.side).toBe('FRONT');
    expect(result.portrait?.foundOn).toBe('document');
    const face = result.portrait!.face!;
    // The portrait's centre in the photo: where the generator drew it, mapped through the photo's corners.
    const { x, y, width, height } = document.portraitBox;
    const [tl, tr, , bl] = shot.corners;
    const at = (u: number, v: number) => ({ x: tl.x + (tr.x - tl.x) * u + (bl.x - tl.x) * v, y: tl.y + (tr.y - tl.y) * u + (bl.y - tl.y) * v });
    const centre = at((x + width / 2) / document.width, (y + height / 2) / document.height);
    const photoPerDocumentPixel = Math.hypot(tr.x - tl.x, tr.y - tl.y) / document.width;
    expect(Math.hypot(face.box.x + face.box.width / 2 - centre.x, face.box.y + face.box.height / 2 - centre.y)).toBeLessThan(0.3 * width * photoPerDocumentPixel);
    expect((await inference.compareFaces(face.embedding!, await holderPhoto(1))).match).toBe(true);
  });

  it('finds the portrait of a small document in a 4032×3024 photo, searching the document’s region of the photo', async () => {
    const document = await renderDocument({ format: 'TD3', identity: ICAO_TD3_SPECIMEN, portrait: 1 });
    const shot = await photographDocument(document, { width: 4032, height: 3024, documentScale: 0.22, rotation: -3, jpegQuality: 85 });
    const result = await inference.analyzeDocument(shot.image, { now: new Date('2010-01-01T00:00:00Z') });
    expect(result.mrz?.valid).toBe(true);
    expect(result.portrait?.foundOn).toBe('document');
    const face = result.portrait!.face!;
    expect(face.embedding).toHaveLength(512);
    // In photo pixels: inside the document's outline.
    const xs = shot.corners.map((c) => c.x);
    expect(face.box.x).toBeGreaterThan(Math.min(...xs));
    expect(face.box.x + face.box.width).toBeLessThan(Math.max(...xs));
    expect((await inference.compareFaces(face.embedding!, await holderPhoto(1))).match).toBe(true);
  });

  it('a TD1 back (MRZ, no portrait) is side BACK without DOCUMENT_FACE_NOT_FOUND; the front is side FRONT with its portrait', async () => {
    const back = await renderDocument({ format: 'TD1', identity: ICAO_TD1_SPECIMEN, side: 'back' });
    const onBack = await inference.analyzeDocument((await photographDocument(back, { rotation: 2 })).image, { now: new Date('2010-01-01T00:00:00Z') });
    expect(onBack.mrz?.valid).toBe(true);
    expect(onBack).toMatchObject({ kind: 'ID_CARD', side: 'BACK', portrait: { face: null, foundOn: null } });
    expect(onBack.warnings.map((w) => w.code)).toEqual([]);
    const front = await renderDocument({ format: 'TD1', identity: ICAO_TD1_SPECIMEN, side: 'front', portrait: 2 });
    const onFront = await inference.analyzeDocument((await photographDocument(front, { rotation: 92, documentScale: 0.6 })).image, { now: new Date('2010-01-01T00:00:00Z') });
    expect(onFront.side).toBe('FRONT');
    expect(onFront.portrait?.face?.embedding).toHaveLength(512);
    expect(onFront.warnings.map((w) => w.code)).not.toContain('DOCUMENT_FACE_NOT_FOUND');
  });

  it('refuses what is not an image with BAD_IMAGE, and reports DOCUMENT_FACE_NOT_FOUND without a portrait', async () => {
    await expect(inference.analyzeDocument(new TextEncoder().encode('%PDF-1.7 not an image'))).rejects.toMatchObject({ code: 'BAD_IMAGE' });
    const blank = await sharp({ create: { width: 640, height: 400, channels: 3, background: '#d0d0d0' } }).jpeg().toBuffer();
    const result = await inference.analyzeDocument(blank);
    expect(result.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['UNRECOGNIZED_DOCUMENT', 'DOCUMENT_FACE_NOT_FOUND']));
    expect(result.portrait).toEqual({ face: null, foundOn: null });
    expect(result.side).toBe('UNKNOWN');
    const without = await inference.analyzeDocument(blank, { portrait: false });
    expect(without.portrait).toBeNull();
  });
});
