import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../image/image-decoder.js';
import { OCR_MODELS } from '../models/model-catalog.js';
import { ensureModels } from '../models/model-store.js';
import { analyzeDecodedDocument, type DocumentTaskOutput } from './document-analyzer.js';
import type { AnalyzeDocumentOptions } from './document.types.js';
import { type OcrModels, loadOcrModels, releaseOcrModels } from './ocr/ocr-models.js';
import { type PhotoOptions, type RenderedDocument, photographDocument, renderDocument } from './testing/document-generator.js';
import { type DocumentIdentity, ICAO_TD1_SPECIMEN, ICAO_TD3_SPECIMEN } from './testing/mrz-builder.js';

// The document pipeline in-process (the pool path is in documents.pool.test.ts), on documents
// this suite generates: ICAO specimen data, rendered in OCR-B, photographed with distortions.

const MODELS_DIR = fileURLToPath(new URL('../../.models', import.meta.url));
const LIMITS = { maxBytes: 20_000_000, maxPixels: 40_000_000 };
let models: OcrModels;
let td3: RenderedDocument;
let td1: RenderedDocument;

beforeAll(async () => {
  await ensureModels(MODELS_DIR, OCR_MODELS, { install: true });
  models = await loadOcrModels(MODELS_DIR, { device: 'cpu', threads: 1, warn: () => {} });
  td3 = await renderDocument({ format: 'TD3', identity: ICAO_TD3_SPECIMEN });
  td1 = await renderDocument({ format: 'TD1', identity: ICAO_TD1_SPECIMEN, portrait: 2 });
});

afterAll(async () => {
  if (models) await releaseOcrModels(models);
});

async function analyze(bytes: Uint8Array, options: AnalyzeDocumentOptions = { now: '2010-01-01' }): Promise<DocumentTaskOutput> {
  return analyzeDecodedDocument(models, await decodeImage(bytes, LIMITS), bytes, options);
}

async function photo(document: RenderedDocument, options: PhotoOptions = {}): Promise<Buffer> {
  return (await photographDocument(document, options)).image;
}

const codes = (result: DocumentTaskOutput) => result.warnings.map((w) => w.code);
const field = (result: DocumentTaskOutput, name: string) => result.fields.find((f) => f.name === name);

describe('analyzeDecodedDocument: MRZ and fields', () => {
  it('reads the ICAO TD3 specimen: fields, dates in UTC, every check digit, kind and country', async () => {
    const result = await analyze(await photo(td3));
    expect(result.mrz?.lines).toEqual(td3.mrz);
    expect(result.mrz?.checks.every((c) => c.valid)).toBe(true);
    expect(result).toMatchObject({ kind: 'PASSPORT', country: 'UTO', countryName: 'Utopia' });
    expect(field(result, 'surname')).toMatchObject({ value: 'ERIKSSON', isUnreadable: false, isMismatch: false });
    expect(field(result, 'givenNames')?.value).toBe('ANNA MARIA');
    expect(field(result, 'documentNumber')?.value).toBe('L898902C3');
    expect(field(result, 'birthDate')).toMatchObject({ value: '740812', valueUTC: '1974-08-12T00:00:00.000Z' });
    expect(field(result, 'expiryDate')).toMatchObject({ value: '120415', valueUTC: '2012-04-15T00:00:00.000Z' });
    expect(field(result, 'sex')?.value).toBe('F');
    expect(field(result, 'personalNumber')?.value).toBe('ZE184226B');
    for (const f of result.fields) expect(f.confidence).toBeGreaterThan(0.6);
    expect(codes(result)).toEqual([]);
    // The visual zone agrees: each checked field found under its caption.
    for (const name of ['surname', 'givenNames', 'documentNumber', 'birthDate', 'expiryDate']) {
      expect(field(result, name), name).toMatchObject({ isMismatch: false, visual: { foundBy: 'label' } });
    }
  });

  it('flags a printed name and birth date that differ from the MRZ (DOCUMENT_NAME_MISMATCH, DOCUMENT_DOB_MISMATCH)', async () => {
    const altered = await renderDocument({ format: 'TD3', identity: ICAO_TD3_SPECIMEN, printed: { surname: 'JOHANSSON', birthDate: '750812' } });
    const result = await analyze(await photo(altered, { rotation: 92, documentScale: 0.6 }));
    expect(result.mrz?.lines).toEqual(td3.mrz);
    expect(field(result, 'surname')).toMatchObject({ value: 'ERIKSSON', isMismatch: true, visual: { value: 'JOHANSSON', foundBy: 'label' } });
    expect(field(result, 'birthDate')).toMatchObject({ value: '740812', isMismatch: true });
    expect(field(result, 'givenNames')?.isMismatch).toBe(false);
    expect(field(result, 'documentNumber')?.isMismatch).toBe(false);
    expect(codes(result)).toEqual(['DOCUMENT_NAME_MISMATCH', 'DOCUMENT_DOB_MISMATCH']);
    expect(result.warnings[0]).toMatchObject({ severity: 'HIGH', params: { fields: 'surname', mrz: 'ERIKSSON', printed: 'JOHANSSON' } });
  });

  it('derives DOCUMENT_EXPIRED from the clock it is given', async () => {
    const bytes = await photo(td3);
    const later = await analyze(bytes, { now: '2012-04-16T12:00:00Z' });
    expect(codes(later)).toContain('DOCUMENT_EXPIRED');
    const lastDay = await analyze(bytes, { now: '2012-04-15T12:00:00Z' });
    expect(codes(lastDay)).not.toContain('DOCUMENT_EXPIRED');
  });

  it('reads a TD1 card turned and tilted, and reports a wrong composite check digit (CHECK_DIGIT_FAILED)', async () => {
    const broken = await renderDocument({ format: 'TD1', identity: ICAO_TD1_SPECIMEN, portrait: 2, breakCheck: 'composite' });
    const result = await analyze(await photo(broken, { rotation: -6, perspective: 0.03, jpegQuality: 80 }));
    expect(result.kind).toBe('ID_CARD');
    expect(result.mrz?.format).toBe('TD1');
    expect(result.mrz?.lines).toEqual(broken.mrz);
    const checks = Object.fromEntries(result.mrz!.checks.map((c) => [c.name, c.valid]));
    expect(checks).toEqual({ documentNumber: true, birthDate: true, expiryDate: true, composite: false });
    const failed = result.warnings.filter((w) => w.code === 'CHECK_DIGIT_FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ severity: 'HIGH', confidence: 1, params: { check: 'composite', digit: '7', expected: '6' } });
  });

  it('reads a passport photographed upside down', async () => {
    const result = await analyze(await photo(td3, { rotation: 183 }));
    expect(result.mrz?.lines).toEqual(td3.mrz);
  });

  it('reads the MRZ of a small document in a 4032×3024 phone photo (second detection pass on the document)', async () => {
    const result = await analyze(await photo(td1, { width: 4032, height: 3024, documentScale: 0.22, rotation: 4, blur: 1.5, jpegQuality: 85 }));
    expect(result.location.method).toBe('outline');
    expect(result.mrz?.lines).toEqual(td1.mrz);
  });

  it('raises UNDER_18 … UNDER_21 for a 17-year-old at the given date, and only UNDER_21 for a 20-year-old', async () => {
    const young: DocumentIdentity = { ...ICAO_TD3_SPECIMEN, birthDate: '080301', expiryDate: '300101', personalNumber: '' };
    const document = await renderDocument({ format: 'TD3', identity: young, portrait: 1 });
    const bytes = await photo(document, { rotation: 2 });
    const at17 = await analyze(bytes, { now: '2025-06-01' });
    expect(codes(at17).filter((c) => c.startsWith('UNDER_')).sort()).toEqual(['UNDER_18', 'UNDER_19', 'UNDER_20', 'UNDER_21']);
    expect(at17.warnings.find((w) => w.code === 'UNDER_18')).toMatchObject({ severity: 'NONE', params: { age: 17 } });
    const at20 = await analyze(bytes, { now: '2028-03-01' });
    expect(codes(at20).filter((c) => c.startsWith('UNDER_'))).toEqual(['UNDER_21']);
  });

  it('says UNRECOGNIZED_DOCUMENT for a photo without an MRZ', async () => {
    const people = await readFile(fileURLToPath(new URL('../../node_modules/@vladmandic/face-api/demo/sample2.jpg', import.meta.url)));
    const result = await analyze(people);
    expect(result.mrz).toBeNull();
    expect(result.kind).toBe('UNKNOWN');
    expect(codes(result)).toContain('UNRECOGNIZED_DOCUMENT');
  });
});

/** Mean absolute grey difference between the upright crop and the flat document drawn upright and turned 180°. */
async function uprightness(crop: Uint8Array, flat: RenderedDocument): Promise<{ upright: number; turned: number; landscape: boolean }> {
  const width = 160;
  const height = Math.round((width * flat.height) / flat.width);
  const grey = async (input: Uint8Array, turn = 0) => sharp(input).rotate(turn).resize(width, height, { fit: 'fill' }).greyscale().raw().toBuffer();
  const [seen, upright, turned] = await Promise.all([grey(crop), grey(flat.png), grey(flat.png, 180)]);
  const mad = (other: Buffer) => seen.reduce((sum, v, i) => sum + Math.abs(v - other[i]!), 0) / seen.length;
  const { width: w = 0, height: h = 0 } = await sharp(crop).metadata();
  return { upright: mad(upright), turned: mad(turned), landscape: w > h };
}

describe('analyzeDecodedDocument: orientation and the upright crop', () => {
  const front = renderDocument({ format: 'TD1', identity: ICAO_TD1_SPECIMEN, portrait: 2, side: 'front' });

  it.each([0, 90, 180, 270])('a passport turned %i°: orientation from the MRZ, the crop upright', async (turn) => {
    const result = await analyze(await photo(td3, { rotation: turn + 3, documentScale: 0.55 }));
    expect(result.mrz?.lines).toEqual(td3.mrz);
    expect(result.orientation.source).toBe('mrz');
    expect(Math.abs(Math.sin((((result.orientation.angle - turn - 3) / 2) * Math.PI) / 180))).toBeLessThan(Math.sin((2 * Math.PI) / 180));
    const { upright, turned, landscape } = await uprightness(result.portraitSearch.image, td3);
    expect(landscape).toBe(true);
    expect(upright).toBeLessThan(turned * 0.6);
  });

  it.each([0, 90, 180, 270])('an ID card front (no MRZ) turned %i°: orientation from the text lines, the crop upright, fields from the visual zone', async (turn) => {
    const flat = await front;
    const result = await analyze(await photo(flat, { rotation: turn - 2, documentScale: 0.55 }));
    expect(result.mrz).toBeNull();
    expect(result.orientation.source).toBe('text');
    expect(result.kind).toBe('ID_CARD');
    expect(field(result, 'surname')?.value).toBe('ERIKSSON');
    expect(field(result, 'documentNumber')?.value).toBe(ICAO_TD1_SPECIMEN.documentNumber);
    expect(field(result, 'birthDate')?.valueUTC).toBe('1974-08-12T00:00:00.000Z');
    expect(codes(result)).toEqual([]);
    const { upright, turned, landscape } = await uprightness(result.portraitSearch.image, flat);
    expect(landscape).toBe(true);
    expect(upright).toBeLessThan(turned * 0.6);
  });

  it('estimates the document from its MRZ band when a busy background hides the outline', async () => {
    const shot = await photographDocument(td3, { rotation: 3, documentScale: 0.5, clutter: true });
    const result = await analyze(shot.image);
    expect(result.mrz?.valid).toBe(true);
    expect(result.location.method).toBe('mrz');
    const width = Math.hypot(shot.corners[1].x - shot.corners[0].x, shot.corners[1].y - shot.corners[0].y);
    expect(Math.abs(result.location.longSide - width) / width).toBeLessThan(0.1);
    result.location.corners!.forEach((corner, i) => {
      expect(Math.hypot(corner.x - shot.corners[i]!.x, corner.y - shot.corners[i]!.y)).toBeLessThan(width * 0.1);
    });
  });
});

describe('analyzeDecodedDocument: acceptance and localisation', () => {
  it('finds the document outline within 3% of its width', async () => {
    const shot = await photographDocument(td3, { rotation: 5, perspective: 0.03, documentScale: 0.7 });
    const result = await analyze(shot.image);
    expect(result.location.method).toBe('outline');
    const width = Math.hypot(shot.corners[1].x - shot.corners[0].x, shot.corners[1].y - shot.corners[0].y);
    result.location.corners!.forEach((corner, i) => {
      expect(Math.hypot(corner.x - shot.corners[i]!.x, corner.y - shot.corners[i]!.y)).toBeLessThan(width * 0.03);
    });
  });

  it('raises IMAGE_TOO_SMALL under 200 px and DOCUMENT_TOO_SMALL for a small document in a large photo', async () => {
    const tiny = await analyze(await photo(td1, { width: 180, height: 135 }));
    expect(codes(tiny)).toContain('IMAGE_TOO_SMALL');
    const far = await analyze(await photo(td1, { width: 800, height: 600, documentScale: 0.22 }));
    expect(far.location.method).toBe('outline');
    expect(far.location.longSide).toBeLessThan(200);
    expect(codes(far)).toContain('DOCUMENT_TOO_SMALL');
    expect(codes(far)).not.toContain('IMAGE_TOO_SMALL');
  });
});

describe('forensics on generated photos', () => {
  it('a clean photo raises none of the forensic warnings', async () => {
    const result = await analyze(await photo(td1, { rotation: 3, jpegQuality: 85 }));
    for (const code of ['IMAGE_TOO_BLURRY', 'GLARE_DETECTED', 'BLACK_WHITE_DOCUMENT', 'IMAGE_EDITED', 'SCREEN_DETECTED']) expect(codes(result)).not.toContain(code);
    expect(result.forensics.editor).toBeNull();
  });

  it.each([
    ['IMAGE_TOO_BLURRY', { blur: 3 }],
    ['GLARE_DETECTED', { glare: { x: 0.42, y: 0.4, radius: 0.1 } }],
    ['BLACK_WHITE_DOCUMENT', { greyscale: true }],
    ['IMAGE_EDITED', { editor: 'Adobe Photoshop 25.0 (Windows)' }],
    ['SCREEN_DETECTED', { screen: true, rotation: 4, documentScale: 0.9 }],
  ] as const)('%s', async (code, options) => {
    const result = await analyze(await photo(td1, options));
    const found = result.warnings.find((w) => w.code === code);
    expect(found, `${code} in ${codes(result).join(', ')}`).toBeDefined();
    expect(found!.confidence).toBeGreaterThanOrEqual(0.5);
    if (code === 'IMAGE_EDITED') expect(found!.params).toMatchObject({ editor: 'Adobe Photoshop' });
  });
});
