import { parse as parseWithMrzPackage } from 'mrz';
import { computeCheckDigit, isCheckDigitValid } from './mrz-check-digit.js';
import { isIcaoCode } from './mrz-countries.js';
import { MRZ_LAYOUTS, coveredText, fieldText, type MrzCheckName, type MrzFieldName, type MrzFormat, mrzFormatOf } from './mrz-layout.js';

/** One check digit's result, as reference 004's "Check MRZ errors" lists them. */
export interface MrzCheckResult {
  readonly name: MrzCheckName;
  readonly valid: boolean;
  /** The digit printed (read). */
  readonly digit: string;
  /** The digit the data asks for; `null` when the data holds non-MRZ characters. */
  readonly expected: string | null;
}

/** A field whose text breaks its format (reference 004: "Invalid text: 1ASDFGHE. Must match …"). */
export interface MrzFieldError {
  readonly field: string;
  readonly value: string;
  readonly message: string;
}

/** Fields of an MRZ, fillers removed. Dates stay `YYMMDD` as printed; see `document-fields` for ISO dates. */
export interface MrzFields {
  readonly documentCode: string;
  readonly issuingState: string;
  readonly surname: string;
  readonly givenNames: string;
  readonly documentNumber: string;
  readonly nationality: string;
  readonly birthDate: string;
  /** `M`, `F` or `X` (unspecified, printed `<`). */
  readonly sex: string;
  readonly expiryDate: string;
  /** TD3 personal number; TD1/TD2 and visas: optional data. */
  readonly personalNumber: string;
  readonly optionalData: string;
}

/** A parsed MRZ. */
export interface MrzParseResult {
  readonly format: MrzFormat;
  readonly lines: readonly string[];
  /** Every check digit holds and no field breaks its format. */
  readonly valid: boolean;
  readonly fields: MrzFields;
  readonly checks: readonly MrzCheckResult[];
  readonly errors: readonly MrzFieldError[];
}

const stripFillers = (text: string) => text.replace(/<+$/, '').replace(/</g, ' ').trim();

/**
 * Parses MRZ lines, as the format `as` or the one {@link mrzFormatOf} names. TD1, TD2, TD3 and the
 * French national ID card go through the `mrz` package (its field errors are reported); the ICAO
 * specimen state `UTO`, which that package rejects, is accepted; visas (MRV-A, MRV-B, ICAO 9303
 * part 7), which it does not know, are parsed here. Check digits are computed here for every
 * format with the same rule (part 3 §4.9), so each reports `expected`. Fields a format does not
 * carry (the French card's nationality and expiry date) are empty.
 */
export function parseMrz(lines: readonly string[], as?: MrzFormat): MrzParseResult {
  const format = as ?? mrzFormatOf(lines);
  if (!format || lines.length !== MRZ_LAYOUTS[format].lines || lines.some((l) => l.length !== MRZ_LAYOUTS[format].length)) {
    throw new RangeError(`not an MRZ${as ? ` of ${as}` : ''}: ${lines.length} lines of ${lines.map((l) => l.length).join('/')} characters`);
  }
  const layout = MRZ_LAYOUTS[format];
  const slot = (name: MrzFieldName) => layout.fields.find((f) => f.name === name);
  const text = (name: MrzFieldName) => {
    const s = slot(name);
    return s ? fieldText(lines, s) : '';
  };

  const checks: MrzCheckResult[] = layout.checks.map((check) => {
    const digitSlot = slot(check.digit)!;
    let data = coveredText(lines, check.covers);
    let digit = fieldText(lines, digitSlot);
    // ICAO 9303 part 5 §4.2.2 note j: a TD1 document number longer than 9 characters continues in the
    // optional data, where its check digit follows; the document number's check digit position is then `<`.
    if (format === 'TD1' && check.name === 'documentNumber' && digit === '<') {
      const overflow = text('optional1').match(/^([A-Z0-9]*)([0-9])</);
      if (overflow) {
        data = text('documentNumber') + overflow[1]!;
        digit = overflow[2]!;
      }
    }
    const expected = computeCheckDigit(data);
    return { name: check.name, valid: isCheckDigitValid(data, digit, check.optional), digit, expected: expected === undefined ? null : String(expected) };
  });

  const errors: MrzFieldError[] = [];
  const french = format === 'FRENCH_NATIONAL_ID';
  const names = layout.fields.filter((f) => f.name === 'name').map((f) => fieldText(lines, f));
  // The French card has a field for each; ICAO puts both in one, separated by two fillers (part 3 §4.6).
  const [surname = '', given = ''] = french ? names : names[0]!.split('<<');
  let documentNumber = text('documentNumber');
  let optionalData = stripFillers(format === 'TD1' ? `${text('optional1')}<${text('optional2')}` : french ? text('optional1') : text('optional2'));
  if (format === 'TD1' && text('documentNumberCheckDigit') === '<') {
    const overflow = text('optional1').match(/^([A-Z0-9]*)[0-9]</);
    if (overflow) {
      documentNumber += overflow[1]!;
      optionalData = stripFillers(`${text('optional1').slice(overflow[0].length)}<${text('optional2')}`);
    }
  }
  const fields: MrzFields = {
    documentCode: text('documentCode').replace(/<+$/, ''),
    issuingState: text('issuingState').replace(/<+$/, ''),
    surname: stripFillers(surname),
    givenNames: stripFillers(given).replace(/ +/g, ' '),
    documentNumber: documentNumber.replace(/<+$/, '').replace(/</g, ''),
    nationality: text('nationality').replace(/<+$/, ''),
    birthDate: text('birthDate'),
    sex: text('sex') === '<' ? 'X' : text('sex'),
    expiryDate: text('expiryDate'),
    personalNumber: format === 'TD3' ? stripFillers(text('personalNumber')) : '',
    optionalData: format === 'TD3' ? '' : optionalData,
  };

  if (format === 'TD1' || format === 'TD2' || format === 'TD3' || french) {
    errors.push(...packageErrors(lines));
  } else {
    errors.push(...visaErrors(lines, format));
  }
  return { format, lines: [...lines], valid: errors.length === 0 && checks.every((c) => c.valid), fields, checks, errors };
}

/** Field-format errors the `mrz` package finds (its check-digit verdicts are replaced by ours). */
function packageErrors(lines: readonly string[]): MrzFieldError[] {
  let result: ReturnType<typeof parseWithMrzPackage>;
  try {
    result = parseWithMrzPackage([...lines]);
  } catch (error) {
    return [{ field: 'format', value: lines.join('\n'), message: (error as Error).message }];
  }
  const errors: MrzFieldError[] = [];
  for (const detail of result.details) {
    if (detail.valid || !detail.field || /CheckDigit$/.test(detail.field)) continue;
    const value = lines[detail.line]?.slice(detail.start, detail.end) ?? '';
    // The package does not know ICAO's specimen state Utopia (ICAO 9303 part 3 §5, note on specimens).
    if ((detail.field === 'issuingState' || detail.field === 'nationality') && isIcaoCode(value)) continue;
    errors.push({ field: detail.field, value, message: detail.error ?? 'invalid' });
  }
  return errors;
}

/** Format checks of a visa's fields (ICAO 9303 part 7 §4.2.2), in the `mrz` package's wording. */
function visaErrors(lines: readonly string[], format: MrzFormat): MrzFieldError[] {
  const layout = MRZ_LAYOUTS[format];
  const errors: MrzFieldError[] = [];
  const get = (name: MrzFieldName) => fieldText(lines, layout.fields.find((f) => f.name === name)!);
  const expect = (field: string, value: string, ok: boolean, message: string) => {
    if (!ok) errors.push({ field, value, message });
  };
  const code = get('documentCode');
  expect('documentCode', code, /^V[A-Z<]$/.test(code), `invalid document code: ${code}. First character must be V`);
  for (const field of ['issuingState', 'nationality'] as const) {
    const value = get(field);
    expect(field, value, isIcaoCode(value), `invalid state code: ${value}`);
  }
  const name = get('name');
  expect('name', name, /^[A-Z]+(<[A-Z]+)*(<<[A-Z]+(<[A-Z]+)*)?<*$/.test(name), `Invalid text: ${name}. Must match /^[A-Z<]+$/ with surname first`);
  for (const field of ['birthDate', 'expiryDate'] as const) {
    const value = get(field);
    expect(field, value, isYymmdd(value), `invalid date: ${value}`);
  }
  const sex = get('sex');
  expect('sex', sex, /^[MFX<]$/.test(sex), `invalid sex: ${sex}. Must be M, F, X or <`);
  return errors;
}

/** Whether `YYMMDD` names a real calendar day (in some century). */
export function isYymmdd(value: string): boolean {
  if (!/^\d{6}$/.test(value)) return false;
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  if (month < 1 || month > 12 || day < 1) return false;
  // 2000 is a leap year, so 29 February passes as it can in some century.
  return day <= new Date(Date.UTC(2000, month, 0)).getUTCDate();
}
