import type { DocumentField, DocumentFieldName, DocumentKind } from './document.types.js';
import { MRZ_LAYOUTS, type MrzFieldName } from './mrz/mrz-layout.js';
import { isYymmdd } from './mrz/mrz-parser.js';
import type { MrzReading } from './mrz/mrz-reader.js';

/** Field titles shown to operators. */
export const FIELD_TITLES: Readonly<Record<DocumentFieldName, string>> = {
  documentKind: 'Document kind',
  issuingCountry: 'Issuing country',
  surname: 'Surname',
  givenNames: 'Given names',
  documentNumber: 'Document number',
  nationality: 'Nationality',
  birthDate: 'Date of birth',
  sex: 'Sex',
  expiryDate: 'Date of expiry',
  personalNumber: 'Personal number',
};

/** Mean character confidence under which a field counts as unreadable (any character under half of it also does). */
const UNREADABLE_BELOW = 0.5;

/**
 * The kind from the document code (ICAO 9303 part 3 §4.2.2 and parts 4–7): `P` passports, `V`
 * visas, `I`/`A`/`C` official travel cards; residence permits use `IR`, `AR` or `RP` in practice
 * (EU Regulation 1030/2002 layouts), which ICAO leaves to the issuer.
 */
export function documentKindOf(code: string): DocumentKind {
  if (/^P/.test(code)) return 'PASSPORT';
  if (/^V/.test(code)) return 'VISA';
  if (/^(IR|AR|RP|R)/.test(code)) return 'RESIDENCE_PERMIT';
  if (/^[IAC]/.test(code)) return 'ID_CARD';
  return 'UNKNOWN';
}

/**
 * Four-digit year of a `YYMMDD` MRZ date. ICAO 9303 prints two digits only: a birth date is the
 * latest date not after the clock's day (a day later than today in this century is of the previous
 * one); an expiry date the latest year not more than 30 years ahead (no travel document is valid
 * longer; part 3 §4.2.2 leaves the century to the reader).
 */
export function mrzYear(yymmdd: string, kind: 'birth' | 'expiry', now: Date): number {
  const yy = Number(yymmdd.slice(0, 2));
  const current = now.getUTCFullYear();
  const limit = kind === 'birth' ? current : current + 30;
  const year = Math.floor(limit / 100) * 100 + yy;
  const today = String((now.getUTCMonth() + 1) * 100 + now.getUTCDate()).padStart(4, '0');
  const later = year > limit || (kind === 'birth' && year === limit && yymmdd.slice(2, 6) > today);
  return later ? year - 100 : year;
}

/** ISO 8601 UTC midnight of an MRZ date, `null` when it is not a calendar day. */
export function mrzDateToUtc(yymmdd: string, kind: 'birth' | 'expiry', now: Date): string | null {
  if (!isYymmdd(yymmdd)) return null;
  const year = mrzYear(yymmdd, kind, now);
  const date = new Date(Date.UTC(year, Number(yymmdd.slice(2, 4)) - 1, Number(yymmdd.slice(4, 6))));
  // 29 February of a non-leap year rolls over to March: not a real date.
  if (date.getUTCDate() !== Number(yymmdd.slice(4, 6))) return null;
  return date.toISOString();
}

/** Extracted fields from an MRZ reading, each with the confidence of its characters. */
export function fieldsFromMrz(mrz: MrzReading, now: Date): DocumentField[] {
  const layout = MRZ_LAYOUTS[mrz.format];
  const confidenceOf = (...names: MrzFieldName[]) => {
    const values: number[] = [];
    for (const name of names) {
      const slot = layout.fields.find((f) => f.name === name);
      if (!slot) continue;
      const line = mrz.lines[slot.line]!;
      // Trailing fillers say nothing about how well the field's own text was read (unless the field is all fillers).
      const text = line.slice(slot.start, slot.start + slot.length);
      const end = /^<+$/.test(text) ? text.length : text.replace(/<+$/, '').length;
      for (let c = slot.start; c < slot.start + end; c++) values.push(mrz.charConfidences[slot.line]?.[c] ?? 0);
    }
    return values.length > 0 ? { mean: values.reduce((s, v) => s + v, 0) / values.length, min: Math.min(...values) } : { mean: 0, min: 0 };
  };
  const hasError = (field: string) => mrz.errors.some((e) => e.field === field || (field === 'name' && /Name$/.test(e.field)));
  const make = (name: DocumentFieldName, value: string, slots: MrzFieldName[], options: { date?: 'birth' | 'expiry'; errorField?: string } = {}): DocumentField => {
    const { mean, min } = confidenceOf(...slots);
    const valueUTC = options.date ? mrzDateToUtc(value, options.date, now) : null;
    const unreadable = value === '' || mean < UNREADABLE_BELOW || min < UNREADABLE_BELOW / 2 || (options.date !== undefined && valueUTC === null) || (options.errorField !== undefined && hasError(options.errorField));
    return {
      name,
      title: FIELD_TITLES[name],
      value: value === '' ? null : value,
      valueUTC,
      confidence: round(value === '' ? 0 : mean),
      isUnreadable: unreadable,
      isMismatch: false,
      visual: null,
    };
  };
  const f = mrz.fields;
  const fields: DocumentField[] = [
    { ...make('documentKind', documentKindOf(f.documentCode), ['documentCode'], { errorField: 'documentCode' }) },
    make('issuingCountry', f.issuingState, ['issuingState'], { errorField: 'issuingState' }),
    make('surname', f.surname, ['name'], { errorField: 'name' }),
    make('givenNames', f.givenNames, ['name'], { errorField: 'name' }),
    make('documentNumber', f.documentNumber, ['documentNumber'], { errorField: 'documentNumber' }),
    make('nationality', f.nationality, ['nationality'], { errorField: 'nationality' }),
    make('birthDate', f.birthDate, ['birthDate'], { date: 'birth' }),
    make('sex', f.sex, ['sex'], { errorField: 'sex' }),
    make('expiryDate', f.expiryDate, ['expiryDate'], { date: 'expiry' }),
  ];
  const personal = f.personalNumber || f.optionalData;
  if (personal) fields.push(make('personalNumber', personal, mrz.format === 'TD3' ? ['personalNumber'] : ['optional1', 'optional2']));
  return fields;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
