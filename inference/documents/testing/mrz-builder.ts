import { computeCheckDigit } from '../mrz/mrz-check-digit.js';
import { MRZ_LAYOUTS, coveredText, type MrzCheckName, type MrzFormat } from '../mrz/mrz-layout.js';

/** The identity a generated document carries (MRZ spelling: upper case, `YYMMDD` dates). */
export interface DocumentIdentity {
  /** Two characters, e.g. `P<`, `I<`, `ID`, `V<`. */
  readonly documentCode: string;
  readonly issuingState: string;
  readonly surname: string;
  readonly givenNames: string;
  readonly documentNumber: string;
  readonly nationality: string;
  /** `YYMMDD`. */
  readonly birthDate: string;
  readonly sex: 'M' | 'F' | '<';
  /** `YYMMDD`. */
  readonly expiryDate: string;
  /**
   * TD3 personal number, TD1 optional data of line 1 (up to 14 / 15 characters), TD2 and visa
   * optional data (7, 16 or 8), the French card's issuing office code (6).
   */
  readonly personalNumber: string;
}

/** The ICAO 9303 part 4 specimen passport holder (Appendix A to part 4). */
export const ICAO_TD3_SPECIMEN: DocumentIdentity = {
  documentCode: 'P<',
  issuingState: 'UTO',
  surname: 'ERIKSSON',
  givenNames: 'ANNA MARIA',
  documentNumber: 'L898902C3',
  nationality: 'UTO',
  birthDate: '740812',
  sex: 'F',
  expiryDate: '120415',
  personalNumber: 'ZE184226B',
};

/** The ICAO 9303 part 5 specimen TD1 card holder (Appendix A to part 5). */
export const ICAO_TD1_SPECIMEN: DocumentIdentity = {
  documentCode: 'I<',
  issuingState: 'UTO',
  surname: 'ERIKSSON',
  givenNames: 'ANNA MARIA',
  documentNumber: 'D23145890',
  nationality: 'UTO',
  birthDate: '740812',
  sex: 'F',
  expiryDate: '120415',
  personalNumber: '',
};

const pad = (text: string, length: number) => (text + '<'.repeat(length)).slice(0, length);
const mrzText = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]+/g, '<');

/** `SURNAME<<GIVEN<NAMES` truncated to `length` (ICAO 9303 part 3 §4.6). */
export function mrzName(surname: string, givenNames: string, length: number): string {
  return pad(`${mrzText(surname)}<<${mrzText(givenNames)}`, length);
}

/**
 * MRZ lines of `identity` in `format`, check digits computed per ICAO 9303 part 3 §4.9.
 * `breakCheck` makes that one check digit wrong (the next digit mod 10), for negative tests.
 */
export function buildMrzLines(format: MrzFormat, identity: DocumentIdentity, breakCheck?: MrzCheckName): string[] {
  const i = identity;
  const { length } = MRZ_LAYOUTS[format];
  // Line 2 of TD2, TD3 and visas up to the expiry date's check digit (ICAO 9303 parts 4, 6, 7); digits are placeholders.
  const head = `${pad(i.documentNumber, 9)}0${pad(i.nationality, 3)}${i.birthDate}0${i.sex}${i.expiryDate}0`;
  // A one- or two-letter state (D for Germany) is padded to its three places (ICAO 9303 part 3 §5).
  const first = pad(`${pad(i.documentCode, 2)}${pad(i.issuingState, 3)}${mrzName(i.surname, i.givenNames, length - 5)}`, length);
  let lines: string[];
  if (format === 'TD3') {
    lines = [first, `${head}${pad(i.personalNumber, 14)}00`];
  } else if (format === 'TD2') {
    lines = [first, `${head}${pad(i.personalNumber, 7)}0`];
  } else if (format === 'MRV-A' || format === 'MRV-B') {
    lines = [first, `${head}${pad(i.personalNumber, length - 28)}`];
  } else if (format === 'FRENCH_NATIONAL_ID') {
    lines = [
      `${pad(i.documentCode, 2)}${i.issuingState}${pad(mrzText(i.surname), 25)}${pad(i.personalNumber, 6)}`,
      `${pad(i.documentNumber, 12)}0${pad(mrzText(i.givenNames), 14)}${i.birthDate}0${i.sex}0`,
    ];
  } else {
    lines = [
      `${pad(i.documentCode, 2)}${pad(i.issuingState, 3)}${pad(i.documentNumber, 9)}0${pad(i.personalNumber, 15)}`,
      `${i.birthDate}0${i.sex}${i.expiryDate}0${pad(i.nationality, 3)}${'<'.repeat(11)}0`,
      mrzName(i.surname, i.givenNames, 30),
    ];
  }
  const layout = MRZ_LAYOUTS[format];
  for (const check of layout.checks) {
    const slot = layout.fields.find((f) => f.name === check.digit)!;
    const data = coveredText(lines, check.covers);
    let digit = check.optional && /^<*$/.test(data) ? '<' : String(computeCheckDigit(data));
    if (breakCheck === check.name) digit = digit === '<' ? '1' : String((Number(digit) + 1) % 10);
    const line = lines[slot.line]!;
    lines[slot.line] = line.slice(0, slot.start) + digit + line.slice(slot.start + 1);
  }
  return lines;
}
