/**
 * MRZ formats this box reads: ICAO 9303 parts 4 (TD3), 5 (TD1), 6 (TD2) and 7 (visas MRV-A, MRV-B),
 * and the French national identity card of 1988–2021, whose 2 × 36 zone looks like TD2 but is
 * not ICAO (no nationality, no expiry date, other fields and check digits).
 */
export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B' | 'FRENCH_NATIONAL_ID';

/**
 * What a field may hold, which decides how OCR confusions are corrected: `alpha` is `A–Z` and
 * `<`, `numeric` is `0–9` (and `<` where a field may be absent), `alnum` is anything, `check` a
 * check digit (digit, or `<` for an absent optional field).
 */
export type MrzCharClass = 'alpha' | 'numeric' | 'alnum' | 'check';

/** Names of the fields the layouts place. */
export type MrzFieldName =
  | 'documentCode'
  | 'issuingState'
  | 'name'
  | 'documentNumber'
  | 'documentNumberCheckDigit'
  | 'optional1'
  | 'birthDate'
  | 'birthDateCheckDigit'
  | 'sex'
  | 'expiryDate'
  | 'expiryDateCheckDigit'
  | 'nationality'
  | 'optional2'
  | 'personalNumber'
  | 'personalNumberCheckDigit'
  | 'compositeCheckDigit';

/** One field's place: line index, start column (0-based) and length. */
export interface MrzFieldSlot {
  readonly name: MrzFieldName;
  readonly line: number;
  readonly start: number;
  readonly length: number;
  readonly kind: MrzCharClass;
}

/** A check digit and the ranges (line, start, length) it covers. */
export interface MrzCheckSpec {
  /** Public name of the check, as reported to callers. */
  readonly name: MrzCheckName;
  readonly digit: MrzFieldName;
  readonly covers: ReadonlyArray<readonly [line: number, start: number, length: number]>;
  /** Optional field whose digit may be `<` when the data is fillers (ICAO 9303 part 4 §4.2.2.2). */
  readonly optional?: boolean;
}

/** The check digits reported, named like reference 004's "Check MRZ errors". */
export type MrzCheckName = 'documentNumber' | 'birthDate' | 'expiryDate' | 'personalNumber' | 'composite';

/** Geometry and fields of one format. */
export interface MrzLayout {
  readonly format: MrzFormat;
  readonly lines: number;
  readonly length: number;
  readonly fields: readonly MrzFieldSlot[];
  readonly checks: readonly MrzCheckSpec[];
}

const slot = (name: MrzFieldName, line: number, start: number, length: number, kind: MrzCharClass): MrzFieldSlot => ({ name, line, start, length, kind });

// Line 2 of TD2, TD3 and both visas share the same first 28 columns (ICAO 9303 parts 4, 6, 7).
const SECOND_LINE_HEAD: readonly MrzFieldSlot[] = [
  slot('documentNumber', 1, 0, 9, 'alnum'),
  slot('documentNumberCheckDigit', 1, 9, 1, 'check'),
  slot('nationality', 1, 10, 3, 'alpha'),
  slot('birthDate', 1, 13, 6, 'numeric'),
  slot('birthDateCheckDigit', 1, 19, 1, 'check'),
  slot('sex', 1, 20, 1, 'alpha'),
  slot('expiryDate', 1, 21, 6, 'numeric'),
  slot('expiryDateCheckDigit', 1, 27, 1, 'check'),
];
const HEAD_CHECKS: readonly MrzCheckSpec[] = [
  { name: 'documentNumber', digit: 'documentNumberCheckDigit', covers: [[1, 0, 9]] },
  { name: 'birthDate', digit: 'birthDateCheckDigit', covers: [[1, 13, 6]] },
  { name: 'expiryDate', digit: 'expiryDateCheckDigit', covers: [[1, 21, 6]] },
];

function firstLine(length: number): MrzFieldSlot[] {
  return [slot('documentCode', 0, 0, 2, 'alpha'), slot('issuingState', 0, 2, 3, 'alpha'), slot('name', 0, 5, length - 5, 'alpha')];
}

/** Layouts by format. */
export const MRZ_LAYOUTS: Readonly<Record<MrzFormat, MrzLayout>> = {
  // ICAO 9303 part 4 §4.2.2: passport booklets, 2 × 44.
  TD3: {
    format: 'TD3',
    lines: 2,
    length: 44,
    fields: [
      ...firstLine(44),
      ...SECOND_LINE_HEAD,
      slot('personalNumber', 1, 28, 14, 'alnum'),
      slot('personalNumberCheckDigit', 1, 42, 1, 'check'),
      slot('compositeCheckDigit', 1, 43, 1, 'check'),
    ],
    checks: [
      ...HEAD_CHECKS,
      { name: 'personalNumber', digit: 'personalNumberCheckDigit', covers: [[1, 28, 14]], optional: true },
      { name: 'composite', digit: 'compositeCheckDigit', covers: [[1, 0, 10], [1, 13, 7], [1, 21, 22]] },
    ],
  },
  // ICAO 9303 part 6 §4.2.2: TD2 cards, 2 × 36.
  TD2: {
    format: 'TD2',
    lines: 2,
    length: 36,
    fields: [...firstLine(36), ...SECOND_LINE_HEAD, slot('optional2', 1, 28, 7, 'alnum'), slot('compositeCheckDigit', 1, 35, 1, 'check')],
    checks: [...HEAD_CHECKS, { name: 'composite', digit: 'compositeCheckDigit', covers: [[1, 0, 10], [1, 13, 7], [1, 21, 14]] }],
  },
  // ICAO 9303 part 5 §4.2.2: TD1 cards, 3 × 30; the name is on line 3.
  TD1: {
    format: 'TD1',
    lines: 3,
    length: 30,
    fields: [
      slot('documentCode', 0, 0, 2, 'alpha'),
      slot('issuingState', 0, 2, 3, 'alpha'),
      slot('documentNumber', 0, 5, 9, 'alnum'),
      slot('documentNumberCheckDigit', 0, 14, 1, 'check'),
      slot('optional1', 0, 15, 15, 'alnum'),
      slot('birthDate', 1, 0, 6, 'numeric'),
      slot('birthDateCheckDigit', 1, 6, 1, 'check'),
      slot('sex', 1, 7, 1, 'alpha'),
      slot('expiryDate', 1, 8, 6, 'numeric'),
      slot('expiryDateCheckDigit', 1, 14, 1, 'check'),
      slot('nationality', 1, 15, 3, 'alpha'),
      slot('optional2', 1, 18, 11, 'alnum'),
      slot('compositeCheckDigit', 1, 29, 1, 'check'),
      slot('name', 2, 0, 30, 'alpha'),
    ],
    checks: [
      { name: 'documentNumber', digit: 'documentNumberCheckDigit', covers: [[0, 5, 9]] },
      { name: 'birthDate', digit: 'birthDateCheckDigit', covers: [[1, 0, 6]] },
      { name: 'expiryDate', digit: 'expiryDateCheckDigit', covers: [[1, 8, 6]] },
      // ICAO 9303 part 5 §4.2.2.2: line 1 columns 6–30, line 2 columns 1–7, 9–15 and 19–29.
      { name: 'composite', digit: 'compositeCheckDigit', covers: [[0, 5, 25], [1, 0, 7], [1, 8, 7], [1, 18, 11]] },
    ],
  },
  // ICAO 9303 part 7 §4.2.2: full-size visa, 2 × 44, no composite check digit.
  'MRV-A': {
    format: 'MRV-A',
    lines: 2,
    length: 44,
    fields: [...firstLine(44), ...SECOND_LINE_HEAD, slot('optional2', 1, 28, 16, 'alnum')],
    checks: HEAD_CHECKS,
  },
  // ICAO 9303 part 7 §4.2.2: small visa, 2 × 36, no composite check digit.
  'MRV-B': {
    format: 'MRV-B',
    lines: 2,
    length: 36,
    fields: [...firstLine(36), ...SECOND_LINE_HEAD, slot('optional2', 1, 28, 8, 'alnum')],
    checks: HEAD_CHECKS,
  },
  // French CNI (Arrêté du 19 mars 1988; the `mrz` package's FRENCH_NATIONAL_ID): surname and the
  // issuing office on line 1; line 2 the 12-character card number (issue year and month, office,
  // serial), given names, birth date, sex. Check digits by the ICAO rule; the last covers both lines.
  FRENCH_NATIONAL_ID: {
    format: 'FRENCH_NATIONAL_ID',
    lines: 2,
    length: 36,
    fields: [
      slot('documentCode', 0, 0, 2, 'alpha'),
      slot('issuingState', 0, 2, 3, 'alpha'),
      slot('name', 0, 5, 25, 'alpha'),
      slot('optional1', 0, 30, 6, 'alnum'),
      slot('documentNumber', 1, 0, 12, 'alnum'),
      slot('documentNumberCheckDigit', 1, 12, 1, 'check'),
      // The given names: a second name slot, so that name rules (fillers, letters only) apply to both.
      slot('name', 1, 13, 14, 'alpha'),
      slot('birthDate', 1, 27, 6, 'numeric'),
      slot('birthDateCheckDigit', 1, 33, 1, 'check'),
      slot('sex', 1, 34, 1, 'alpha'),
      slot('compositeCheckDigit', 1, 35, 1, 'check'),
    ],
    checks: [
      { name: 'documentNumber', digit: 'documentNumberCheckDigit', covers: [[1, 0, 12]] },
      { name: 'birthDate', digit: 'birthDateCheckDigit', covers: [[1, 27, 6]] },
      { name: 'composite', digit: 'compositeCheckDigit', covers: [[0, 0, 36], [1, 0, 35]] },
    ],
  },
};

/**
 * The format of MRZ lines from their count, length and first letters: visas start with `V`
 * (ICAO 9303 part 7 §4.2.2), the French card with `IDFRA`; everything else of 2 × 44 is TD3 and
 * of 2 × 36 is TD2.
 */
export function mrzFormatOf(lines: readonly string[]): MrzFormat | undefined {
  const first = lines[0] ?? '';
  if (lines.length === 3 && lines.every((l) => l.length === 30)) return 'TD1';
  if (lines.length !== 2 || lines[1]!.length !== first.length) return undefined;
  if (first.length === 44) return first.startsWith('V') ? 'MRV-A' : 'TD3';
  if (first.length === 36) return first.startsWith('V') ? 'MRV-B' : first.startsWith('IDFRA') ? 'FRENCH_NATIONAL_ID' : 'TD2';
  return undefined;
}

/** Text of the ranges a check covers, concatenated in order. */
export function coveredText(lines: readonly string[], covers: MrzCheckSpec['covers']): string {
  return covers.map(([line, start, length]) => (lines[line] ?? '').slice(start, start + length)).join('');
}

/** Text of a field slot. */
export function fieldText(lines: readonly string[], field: MrzFieldSlot): string {
  return (lines[field.line] ?? '').slice(field.start, field.start + field.length);
}
