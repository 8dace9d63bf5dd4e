import { describe, expect, it } from 'vitest';
import type { OcrField } from '../sessions/capture-data.js';
import { warn } from '../warnings/warning-policy.js';
import { differentDocuments, evaluateDocumentStep, type DocumentSideCapture } from './document-step.rules.js';

const field = (title: string, value: string, extra: Partial<OcrField> = {}): OcrField => ({
  title,
  value,
  confidence: 0.95,
  isMismatch: false,
  isUnreadable: false,
  isEdited: false,
  imageIndex: 0,
  ...extra,
});
const fields = (surname: string, number: string, birth = '1974-08-12') => [
  field('surname', surname),
  field('givenNames', 'ANNA MARIA'),
  field('documentNumber', number),
  field('birthDate', birth, { valueUTC: `${birth}T00:00:00.000Z` }),
];
const mrz = { format: 'TD1', lines: [], fields: {}, checks: [], valid: true };
const back = (surname = 'ERIKSSON', number = 'D23145890'): DocumentSideCapture => ({
  documentType: 'ID_CARD',
  documentCountry: 'UTO',
  ocrFields: fields(surname, number),
  mrz,
  warnings: [],
  hasPortrait: false,
});
const front = (surname = 'ERIKSSON', number = 'D23145890', warnings = [warn('LOW_TEXT_CONFIDENCE', 1)]): DocumentSideCapture => ({
  documentType: 'ID_CARD',
  documentCountry: null,
  ocrFields: fields(surname, number),
  mrz: null,
  warnings,
  hasPortrait: true,
});
const codes = (c: DocumentSideCapture[]) => evaluateDocumentStep(c).warnings.map((w) => w.code);

describe('document step rules across the sides of a card', () => {
  it('waits for the missing side, deferring a front’s reading findings', () => {
    const alone = evaluateDocumentStep([front()]);
    expect(alone).toMatchObject({ missing: 'BACK', standing: [] });
    expect(alone.warnings.map((w) => w.code)).toEqual(['LOW_TEXT_CONFIDENCE', 'DOCUMENT_BACK_MISSING']);
    expect(evaluateDocumentStep([back()]).missing).toBe('FRONT');
  });

  it('drops the front’s reading findings once the back’s MRZ is valid, in either order, and takes the identity from the MRZ', () => {
    expect(codes([front(), back()])).toEqual([]);
    expect(codes([back(), front()])).toEqual([]);
    expect(evaluateDocumentStep([back(), front('ERIKSON')]).identity).toMatchObject({ surname: 'ERIKSSON', issuingCountry: 'UTO' });
  });

  it('keeps the front’s reading findings when nothing printed on it ties it to the back', () => {
    const blurred = { ...front(), ocrFields: front().ocrFields.map((f) => ({ ...f, isUnreadable: true })) };
    expect(codes([blurred, back()])).toEqual(['LOW_TEXT_CONFIDENCE']);
    expect(codes([back(), blurred])).toEqual(['LOW_TEXT_CONFIDENCE']);
  });

  it('tolerates one misread letter and truncated given names, not another name', () => {
    expect(codes([back(), front('ERIKSON')])).toEqual([]);
    // The MRZ keeps a prefix of long given names (ICAO 9303 part 3 §4.6); the front prints them whole.
    const truncated = { ...front(), ocrFields: front().ocrFields.map((f) => (f.title === 'givenNames' ? field('givenNames', 'ANNA MARIA SOFIA') : f)) };
    expect(codes([back(), truncated])).toEqual([]);
    expect(codes([back(), front('JOHANSSON')])).toEqual(['DOCUMENT_NAME_MISMATCH']);
  });

  it('tells two cards apart by the MRZ on both, by printed fields against a front', () => {
    expect(differentDocuments(back(), back('ERIKSSON', 'D99999999'))).toBe(true);
    expect(differentDocuments(front('ERIKSSON', 'D23145890'), back())).toBe(false);
    expect(differentDocuments(front('ERIKSSON', 'D23145B90'), back())).toBe(false);
    expect(differentDocuments(front('MUELLER', 'D87613420'), back())).toBe(true);
    // Without a number on the front, another holder (name and birth date) is another card.
    const unnumbered = { ...front(), ocrFields: fields('MUELLER', '', '1980-01-01') };
    expect(differentDocuments(unnumbered, back())).toBe(true);
  });
});
