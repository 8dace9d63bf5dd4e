import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../image/image-decoder.js';
import { OCR_MODELS } from '../models/model-catalog.js';
import { ensureModels } from '../models/model-store.js';
import { analyzeDecodedDocument, type DocumentTaskOutput } from './document-analyzer.js';
import { type OcrModels, loadOcrModels, releaseOcrModels } from './ocr/ocr-models.js';
import { photographDocument } from './testing/document-generator.js';
import { type DocumentIdentity, ICAO_TD1_SPECIMEN } from './testing/mrz-builder.js';
import { type TwoLineSpec, renderTwoLineDocument } from './testing/two-line-generator.js';
import { DEFAULT_IMAGE_LIMITS } from '../inference.options.js';

// TD2 cards, visas MRV-A and MRV-B, and the French national ID card (2 × 36 but not ICAO), each
// drawn, photographed turned and re-encoded, and read from the photo by the whole document chain.

const MODELS_DIR = fileURLToPath(new URL('../../.models', import.meta.url));
let models: OcrModels;

beforeAll(async () => {
  await ensureModels(MODELS_DIR, OCR_MODELS, { install: true });
  models = await loadOcrModels(MODELS_DIR, { device: 'cpu', threads: 1, warn: () => {} });
});

afterAll(async () => {
  if (models) await releaseOcrModels(models);
});

async function read(spec: TwoLineSpec, rotation = 3): Promise<{ result: DocumentTaskOutput; mrz: readonly string[] }> {
  const document = await renderTwoLineDocument(spec);
  const bytes = (await photographDocument(document, { rotation, perspective: 0.02, jpegQuality: 85, documentScale: 0.75 })).image;
  const result = await analyzeDecodedDocument(models, await decodeImage(bytes, DEFAULT_IMAGE_LIMITS), bytes, { now: '2010-01-01' });
  return { result, mrz: document.mrz };
}

const field = (result: DocumentTaskOutput, name: string) => result.fields.find((f) => f.name === name)?.value;
const codes = (result: DocumentTaskOutput) => result.warnings.map((w) => w.code);
const VISA: DocumentIdentity = { ...ICAO_TD1_SPECIMEN, documentCode: 'V<', documentNumber: 'L8988901C', nationality: 'XXX', birthDate: '400907', expiryDate: '961210' };

describe('two-line MRZ documents read from photos', () => {
  it('a TD2 card: every check digit, fields, ID card of Utopia', async () => {
    const { result, mrz } = await read({ format: 'TD2', identity: { ...ICAO_TD1_SPECIMEN, personalNumber: '' } });
    expect(result.mrz).toMatchObject({ format: 'TD2', lines: mrz, valid: true });
    expect(result.mrz!.checks.map((c) => c.name)).toEqual(['documentNumber', 'birthDate', 'expiryDate', 'composite']);
    expect(result).toMatchObject({ kind: 'ID_CARD', country: 'UTO' });
    expect([field(result, 'surname'), field(result, 'givenNames'), field(result, 'documentNumber'), field(result, 'expiryDate')]).toEqual(['ERIKSSON', 'ANNA MARIA', 'D23145890', '120415']);
    expect(codes(result)).not.toContain('CHECK_DIGIT_FAILED');
  });

  it('a TD2 card with a wrong composite check digit gives CHECK_DIGIT_FAILED', async () => {
    const { result, mrz } = await read({ format: 'TD2', identity: ICAO_TD1_SPECIMEN, breakCheck: 'composite' }, -4);
    expect(result.mrz?.lines).toEqual(mrz);
    expect(result.warnings.filter((w) => w.code === 'CHECK_DIGIT_FAILED').map((w) => w.params.check)).toEqual(['composite']);
  });

  it.each(['MRV-A', 'MRV-B'] as const)('a visa %s: format from the first letter, three check digits, kind VISA', async (format) => {
    const { result, mrz } = await read({ format, identity: { ...VISA, personalNumber: format === 'MRV-A' ? '6ZE184226B' : '' } });
    expect(result.mrz).toMatchObject({ format, lines: mrz, valid: true });
    expect(result.mrz!.checks.map((c) => c.name)).toEqual(['documentNumber', 'birthDate', 'expiryDate']);
    expect(result.kind).toBe('VISA');
    expect([field(result, 'documentNumber'), field(result, 'nationality'), field(result, 'birthDate')]).toEqual(['L8988901C', 'XXX', '400907']);
  });

  it('the French national ID card is recognised as such, not mis-parsed as TD2; its MRZ has no expiry date', async () => {
    const card: DocumentIdentity = { ...ICAO_TD1_SPECIMEN, documentCode: 'ID', issuingState: 'FRA', surname: 'MARTIN', givenNames: 'JEAN PIERRE', documentNumber: '880692310285', birthDate: '650713', sex: 'M', personalNumber: '923101' };
    const { result, mrz } = await read({ format: 'FRENCH_NATIONAL_ID', identity: card });
    expect(result.mrz).toMatchObject({ format: 'FRENCH_NATIONAL_ID', lines: mrz, valid: true, errors: [] });
    expect(result).toMatchObject({ kind: 'ID_CARD', country: 'FRA' });
    expect([field(result, 'surname'), field(result, 'givenNames'), field(result, 'documentNumber'), field(result, 'birthDate'), field(result, 'sex')]).toEqual(['MARTIN', 'JEAN PIERRE', '880692310285', '650713', 'M']);
    expect(field(result, 'expiryDate')).toBeNull();
    expect(codes(result)).toContain('MISSING_EXPIRY_DATE');
    expect(codes(result)).not.toContain('CHECK_DIGIT_FAILED');
  });
});
