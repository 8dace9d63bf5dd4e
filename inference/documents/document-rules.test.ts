import { describe, expect, it } from 'vitest';
import { documentKindOf, mrzDateToUtc, mrzYear } from './document-fields.js';
import { ageAt, fieldWarnings } from './document-warnings.js';
import type { DocumentField } from './document.types.js';
import { exifSoftware, findEditor } from '../forensics/editor.forensic.js';
import { crossCheckViz, printedDate } from './viz/viz-cross-check.js';
import { joinRows, labelOf } from './viz/viz-labels.js';
import type { VizLine } from './viz/viz-reader.js';

const now = new Date('2025-06-15T10:00:00Z');
const field = (name: DocumentField['name'], value: string | null, extra: Partial<DocumentField> = {}): DocumentField => ({
  name,
  title: name,
  value,
  valueUTC: null,
  confidence: 0.95,
  isUnreadable: value === null,
  isMismatch: false,
  visual: null,
  ...extra,
});

describe('MRZ dates', () => {
  it('puts two-digit years in the right century for birth and expiry', () => {
    expect(mrzYear('740812', 'birth', now)).toBe(1974);
    expect(mrzYear('250615', 'birth', now)).toBe(2025);
    expect(mrzYear('250616', 'birth', now)).toBe(1925);
    expect(mrzYear('300101', 'birth', now)).toBe(1930);
    expect(mrzYear('350101', 'expiry', now)).toBe(2035);
    expect(mrzYear('961210', 'expiry', now)).toBe(1996);
    expect(mrzDateToUtc('000229', 'birth', now)).toBe('2000-02-29T00:00:00.000Z');
    expect(mrzDateToUtc('010229', 'birth', now)).toBeNull();
    expect(mrzDateToUtc('741312', 'birth', now)).toBeNull();
  });

  it.each([
    // [YYMMDD, kind, clock, year]: a birth day after the clock's day is of the previous century, an expiry keeps the future one.
    ['251231', 'birth', '2025-06-15', 1925],
    ['250701', 'birth', '2025-06-15', 1925],
    ['250614', 'birth', '2025-06-15', 2025],
    ['991231', 'birth', '2000-01-01', 1999],
    ['000101', 'birth', '2000-01-01', 2000],
    ['000102', 'birth', '2000-01-01', 1900],
    ['251231', 'expiry', '2025-06-15', 2025],
    ['550615', 'expiry', '2025-06-15', 2055],
    ['560101', 'expiry', '2025-06-15', 1956],
  ] as const)('%s as %s date on %s → %i', (yymmdd, kind, clock, year) => {
    expect(mrzYear(yymmdd, kind, new Date(`${clock}T12:00:00Z`))).toBe(year);
  });

  it('gives a birth date later than today in this century the previous century (ISO date)', () => {
    expect(mrzDateToUtc('260101', 'birth', new Date('2025-12-31T00:00:00Z'))).toBe('1926-01-01T00:00:00.000Z');
    expect(mrzDateToUtc('251231', 'birth', new Date('2025-12-31T00:00:00Z'))).toBe('2025-12-31T00:00:00.000Z');
  });

  it('counts age in whole years, the birthday included', () => {
    expect(ageAt('2007-06-15T00:00:00.000Z', now)).toBe(18);
    expect(ageAt('2007-06-16T00:00:00.000Z', now)).toBe(17);
  });
});

describe('document kinds', () => {
  it.each([
    ['P', 'PASSPORT'],
    ['PD', 'PASSPORT'],
    ['V', 'VISA'],
    ['I', 'ID_CARD'],
    ['ID', 'ID_CARD'],
    ['AC', 'ID_CARD'],
    ['IR', 'RESIDENCE_PERMIT'],
    ['X', 'UNKNOWN'],
  ])('%s → %s', (code, kind) => expect(documentKindOf(code)).toBe(kind));
});

describe('fieldWarnings', () => {
  const options = { now, requiredFields: ['surname', 'documentNumber', 'birthDate', 'expiryDate'] as const, lowConfidence: 0.6 };

  it('missing and unreadable required fields give MISSING_*, low confidence gives LOW_TEXT_CONFIDENCE with 1 − confidence', () => {
    const warnings = fieldWarnings(
      [field('surname', 'X', { isUnreadable: true, confidence: 0.3 }), field('documentNumber', null), field('birthDate', '900101', { valueUTC: '1990-01-01T00:00:00.000Z' }), field('sex', 'F', { confidence: 0.5 })],
      [],
      options,
    );
    expect(warnings.map((w) => w.code).sort()).toEqual(['LOW_TEXT_CONFIDENCE', 'LOW_TEXT_CONFIDENCE', 'MISSING_DOCUMENT_NUMBER', 'MISSING_EXPIRY_DATE', 'MISSING_NAME']);
    expect(warnings.find((w) => w.code === 'LOW_TEXT_CONFIDENCE' && w.params.field === 'sex')?.confidence).toBe(0.5);
    expect(warnings.find((w) => w.code === 'MISSING_NAME')?.severity).toBe('HIGH');
  });

  it('a failed check digit gives CHECK_DIGIT_FAILED naming the check, the digit and the expected one', () => {
    const [w] = fieldWarnings([], [{ name: 'birthDate', valid: false, digit: '3', expected: '2' }], { ...options, requiredFields: [] });
    expect(w).toEqual({
      code: 'CHECK_DIGIT_FAILED',
      severity: 'HIGH',
      confidence: 1,
      message: 'The document is not a valid document because date of birth contains invalid check digit.',
      params: { check: 'birthDate', digit: '3', expected: '2' },
    });
  });
});

describe('editor metadata', () => {
  it('reads IFD0 Software from big- and little-endian EXIF and recognises editors only', () => {
    const exif = (little: boolean, text: string) => {
      const value = Buffer.from(`${text}\0`, 'latin1');
      const buffer = Buffer.alloc(8 + 2 + 12 + 4 + value.length);
      buffer.write(little ? 'II' : 'MM', 0, 'latin1');
      const u16 = (v: number, o: number) => (little ? buffer.writeUInt16LE(v, o) : buffer.writeUInt16BE(v, o));
      const u32 = (v: number, o: number) => (little ? buffer.writeUInt32LE(v, o) : buffer.writeUInt32BE(v, o));
      u16(42, 2);
      u32(8, 4);
      u16(1, 8);
      u16(0x0131, 10);
      u16(2, 12);
      u32(value.length, 14);
      u32(26, 18);
      value.copy(buffer, 26);
      return new Uint8Array(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), buffer]));
    };
    expect(exifSoftware(exif(true, 'GIMP 2.10'))).toEqual(['GIMP 2.10']);
    expect(exifSoftware(exif(false, 'HDR+ 1.0.1'))).toEqual(['HDR+ 1.0.1']);
    expect(findEditor(exif(false, 'GIMP 2.10'), undefined)).toMatchObject({ editor: 'GIMP', score: 0.9 });
    expect(findEditor(exif(true, 'HDR+ 1.0.1'), undefined)).toEqual({ software: 'HDR+ 1.0.1', editor: null, score: 0 });
    const xmp = new TextEncoder().encode('<x:xmpmeta><rdf:Description xmp:CreatorTool="Adobe Photoshop Lightroom Classic 13.0"/></x:xmpmeta>');
    expect(findEditor(undefined, xmp).editor).toBe('Adobe Photoshop');
    expect(findEditor(undefined, undefined)).toEqual({ software: null, editor: null, score: 0 });
  });
});

describe('visual zone: captions, printed dates, cross-check with the MRZ', () => {
  it('knows captions in several languages, misread or cut, and nothing else', () => {
    expect(['Surname', 'Sumame', 'Surname / Nom / Apellidos', 'Nom', 'Surna'].map(labelOf)).toEqual(Array(5).fill('surname'));
    expect(['Given names', 'Prénoms', 'Vornamen'].map(labelOf)).toEqual(Array(3).fill('givenNames'));
    expect(['Dateofbith', 'Date de naissance', 'Geburtsdatum'].map(labelOf)).toEqual(Array(3).fill('birthDate'));
    expect(['Type/Code/PasportNo', 'Document No.', 'Passport No.'].map(labelOf)).toEqual(Array(3).fill('documentNumber'));
    expect(labelOf('Date of expiry')).toBe('expiryDate');
    for (const text of ['ERIKSSON', 'Nationality', 'Personal No.', 'Sex', '12 AUG 1974', 'UTO']) expect(labelOf(text)).toBeUndefined();
  });

  it('reads printed dates as MRZ YYMMDD', () => {
    expect(printedDate('12 AUG 1974')).toBe('740812');
    expect(printedDate('12AUG1974')).toBe('740812');
    expect(printedDate('12 AOUT/AUG 74')).toBe('740812');
    expect(printedDate('12.08.1974')).toBe('740812');
    expect(printedDate('12.AUG.1974')).toBe('740812');
    expect(printedDate('1974-08-12')).toBe('740812');
    expect(printedDate('ERIKSSON')).toBeUndefined();
    expect(printedDate('45 AUG 1974')).toBeUndefined();
  });

  const line = (text: string, u0: number, v0: number, height = 20, confidence = 0.97): VizLine => ({ text, confidence, u0, u1: u0 + text.length * 10, v0, v1: v0 + height });
  const page = (surname: string, birth: string, confidence = 0.97) => [
    line('Surname', 100, 100, 14),
    line(surname, 100, 116, 20, confidence),
    line('Given names', 100, 150, 14),
    line('ANNA MARIA', 100, 166),
    line('Date of birth', 100, 200, 14),
    line(birth, 100, 216, 20, confidence),
    line('Docu', 100, 250, 14),
    line('ment No.', 142, 250, 14),
    line('L898902C3', 100, 266),
  ];
  const mrzFields = [field('surname', 'ERIKSSON'), field('givenNames', 'ANNA MARIA'), field('birthDate', '740812'), field('documentNumber', 'L898902C3'), field('expiryDate', '120415')];

  it('joins a caption the detector split', () => {
    expect(joinRows(page('ERIKSSON', '12 AUG 1974')).map((l) => l.text)).toContain('Docu ment No.');
  });

  it('finds each value under its caption, tolerates one misread letter, and flags a different name and birth date', () => {
    const same = crossCheckViz(mrzFields, page('ERIKSS0N', '12 AUG 1974'));
    expect(same.warnings).toEqual([]);
    expect(same.fields.map((f) => [f.name, f.visual?.foundBy ?? null, f.isMismatch])).toEqual([
      ['surname', 'label', false],
      ['givenNames', 'label', false],
      ['birthDate', 'label', false],
      ['documentNumber', 'label', false],
      ['expiryDate', null, false],
    ]);
    const forged = crossCheckViz(mrzFields, page('JOHANSSON', '12 AUG 1975'));
    expect(forged.fields.filter((f) => f.isMismatch).map((f) => f.name)).toEqual(['surname', 'birthDate']);
    expect(forged.warnings.map((w) => [w.code, w.severity, w.params.printed])).toEqual([
      ['DOCUMENT_NAME_MISMATCH', 'HIGH', 'JOHANSSON'],
      ['DOCUMENT_DOB_MISMATCH', 'HIGH', '12 AUG 1975'],
    ]);
  });

  it('accepts given names the MRZ truncated to initials (ICAO 9303 part 3 §4.6) and transliterated umlauts', () => {
    const lines = [line('Surname', 100, 100, 14), line('MÜLLER', 100, 116), line('Given names', 100, 150, 14), line('JEAN PIERRE', 100, 166)];
    const truncated = crossCheckViz([field('surname', 'MUELLER'), field('givenNames', 'J P')], lines);
    expect(truncated.fields.map((f) => f.isMismatch)).toEqual([false, false]);
    expect(crossCheckViz([field('surname', 'MULLER'), field('givenNames', 'JEAN P')], lines).warnings).toEqual([]);
    expect(crossCheckViz([field('surname', 'MULLER'), field('givenNames', 'JACQUES')], lines).warnings.map((w) => w.code)).toEqual(['DOCUMENT_NAME_MISMATCH']);
  });

  it('does not let a value read with low confidence contradict the MRZ', () => {
    expect(crossCheckViz(mrzFields, page('JOHANSSON', '12 AUG 1975', 0.6)).warnings).toEqual([]);
  });
});
