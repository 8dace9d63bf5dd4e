import { describe, expect, it } from 'vitest';
import { ICAO_TD1_SPECIMEN, ICAO_TD3_SPECIMEN, buildMrzLines } from '../testing/mrz-builder.js';
import { computeCheckDigit, isCheckDigitValid } from './mrz-check-digit.js';
import { type MrzCharReading, correctMrz } from './mrz-correction.js';
import { parseMrz } from './mrz-parser.js';

// ICAO Doc 9303 specimens: part 4 Appendix A (TD3 passport), part 5 Appendix A (TD1 card),
// part 7 Appendix A (visas), and the worked example of part 3 §4.9.
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const MRV_A = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'];
const MRV_B = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<'];

describe('check digits (ICAO 9303 part 3 §4.9)', () => {
  it.each([
    ['520727', 3], // part 3 §4.9 worked example
    ['L898902C3', 6],
    ['740812', 2],
    ['120415', 9],
    ['ZE184226B<<<<<', 1],
    ['L898902C36' + '7408122' + '1204159ZE184226B<<<<<1', 0],
    ['D23145890', 7],
    ['D23145890' + '7' + '<'.repeat(15) + '7408122' + '1204159' + '<'.repeat(11), 6],
    ['L8988901C', 4],
    ['400907', 8],
    ['961210', 9],
  ])('%s → %i', (data, digit) => {
    expect(computeCheckDigit(data)).toBe(digit);
    expect(isCheckDigitValid(data, String(digit))).toBe(true);
    expect(isCheckDigitValid(data, String((digit + 1) % 10))).toBe(false);
  });

  it('rejects non-MRZ characters and accepts a filler digit only for an absent optional field', () => {
    expect(computeCheckDigit('AB-12')).toBeUndefined();
    expect(isCheckDigitValid('<<<<<<<<<<<<<<', '<', true)).toBe(true);
    expect(isCheckDigitValid('<<<<<<<<<<<<<<', '0', true)).toBe(true);
    expect(isCheckDigitValid('ZE184226B<<<<<', '<', true)).toBe(false);
    expect(isCheckDigitValid('<<<<<<<<<<<<<<', '<', false)).toBe(false);
  });

  it('the generator builds the ICAO specimens exactly', () => {
    expect(buildMrzLines('TD3', ICAO_TD3_SPECIMEN)).toEqual(TD3);
    expect(buildMrzLines('TD1', ICAO_TD1_SPECIMEN)).toEqual(TD1);
    const visa = { ...ICAO_TD3_SPECIMEN, documentCode: 'V<', documentNumber: 'L8988901C', nationality: 'XXX', birthDate: '400907', expiryDate: '961210' };
    expect(buildMrzLines('MRV-A', { ...visa, personalNumber: '6ZE184226B' })).toEqual(MRV_A);
    expect(buildMrzLines('MRV-B', { ...visa, personalNumber: '' })).toEqual(MRV_B);
  });
});

describe('parseMrz', () => {
  it('parses the TD3 specimen with Utopia accepted and every check reported', () => {
    const result = parseMrz(TD3);
    expect(result.format).toBe('TD3');
    expect(result.valid).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.fields).toMatchObject({ issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3', birthDate: '740812', sex: 'F', expiryDate: '120415', personalNumber: 'ZE184226B' });
    expect(result.checks.map((c) => [c.name, c.valid, c.digit, c.expected])).toEqual([
      ['documentNumber', true, '6', '6'],
      ['birthDate', true, '2', '2'],
      ['expiryDate', true, '9', '9'],
      ['personalNumber', true, '1', '1'],
      ['composite', true, '0', '0'],
    ]);
  });

  it('parses the TD1 specimen', () => {
    const result = parseMrz(TD1);
    expect(result).toMatchObject({ format: 'TD1', valid: true, fields: { documentNumber: 'D23145890', nationality: 'UTO', surname: 'ERIKSSON' } });
    expect(result.checks.map((c) => c.name)).toEqual(['documentNumber', 'birthDate', 'expiryDate', 'composite']);
  });

  it('parses visas MRV-A and MRV-B, which the mrz package does not know', () => {
    for (const [lines, format] of [[MRV_A, 'MRV-A'], [MRV_B, 'MRV-B']] as const) {
      const result = parseMrz(lines);
      expect(result.format).toBe(format);
      expect(result.valid).toBe(true);
      expect(result.fields).toMatchObject({ documentCode: 'V', documentNumber: 'L8988901C', nationality: 'XXX', birthDate: '400907', expiryDate: '961210' });
      expect(result.checks.map((c) => c.name)).toEqual(['documentNumber', 'birthDate', 'expiryDate']);
    }
  });

  it('reports each wrong check digit with what it must be (reference 004)', () => {
    const broken = buildMrzLines('TD3', ICAO_TD3_SPECIMEN, 'birthDate');
    const result = parseMrz(broken);
    expect(result.valid).toBe(false);
    expect(result.checks.find((c) => c.name === 'birthDate')).toEqual({ name: 'birthDate', valid: false, digit: '3', expected: '2' });
    const composite = parseMrz([TD3[0]!, TD3[1]!.slice(0, 43) + '7']);
    expect(composite.checks.find((c) => c.name === 'composite')).toMatchObject({ valid: false, digit: '7', expected: '0' });
  });

  it('reports field format errors: unknown state, bad name text, impossible visa dates', () => {
    const state = parseMrz(['P<ZZZERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', TD3[1]!]);
    expect(state.valid).toBe(false);
    expect(state.errors).toContainEqual(expect.objectContaining({ field: 'issuingState', value: 'ZZZ' }));
    const visa = parseMrz([MRV_B[0]!, 'L8988901C4XXX4013078F9612109<<<<<<<<']);
    expect(visa.errors).toContainEqual(expect.objectContaining({ field: 'birthDate', value: '401307' }));
  });

  it('reads a TD1 document number longer than nine characters from the optional data (part 5 note j)', () => {
    const line1 = 'I<UTOD23145890<AB34<<<<<<<<<<<';
    const digit = computeCheckDigit('D23145890AB3');
    const lines = [line1.replace('AB34', `AB3${digit}`), TD1[1]!, TD1[2]!];
    const result = parseMrz(lines);
    expect(result.fields.documentNumber).toBe('D23145890AB3');
    expect(result.checks[0]).toMatchObject({ name: 'documentNumber', valid: true });
  });

  it('parses a TD2 card (ICAO 9303 part 6) with its composite check digit', () => {
    const lines = buildMrzLines('TD2', { ...ICAO_TD1_SPECIMEN, personalNumber: 'AB12' });
    expect(lines.map((l) => l.length)).toEqual([36, 36]);
    const result = parseMrz(lines);
    expect(result).toMatchObject({ format: 'TD2', valid: true, errors: [], fields: { surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'D23145890', optionalData: 'AB12' } });
    expect(result.checks.map((c) => c.name)).toEqual(['documentNumber', 'birthDate', 'expiryDate', 'composite']);
    const broken = parseMrz(buildMrzLines('TD2', ICAO_TD1_SPECIMEN, 'composite'));
    expect(broken.checks.filter((c) => !c.valid).map((c) => c.name)).toEqual(['composite']);
  });

  it('recognises the French national ID card (2 × 36, not ICAO) instead of mis-parsing it as TD2', () => {
    const card = { ...ICAO_TD1_SPECIMEN, documentCode: 'ID', issuingState: 'FRA', surname: 'MARTIN', givenNames: 'JEAN PIERRE', documentNumber: '880692310285', birthDate: '650713', sex: 'M' as const, personalNumber: '923101' };
    const lines = buildMrzLines('FRENCH_NATIONAL_ID', card);
    expect(lines).toEqual(['IDFRAMARTIN<<<<<<<<<<<<<<<<<<<923101', `880692310285${lines[1]![12]}JEAN<PIERRE<<<650713${lines[1]![33]}M${lines[1]![35]}`]);
    const result = parseMrz(lines);
    expect(result).toMatchObject({
      format: 'FRENCH_NATIONAL_ID',
      valid: true,
      errors: [],
      fields: { documentCode: 'ID', issuingState: 'FRA', surname: 'MARTIN', givenNames: 'JEAN PIERRE', documentNumber: '880692310285', birthDate: '650713', sex: 'M', nationality: '', expiryDate: '', optionalData: '923101' },
    });
    expect(result.checks.map((c) => [c.name, c.valid])).toEqual([['documentNumber', true], ['birthDate', true], ['composite', true]]);
    // Read as TD2 it would fail its check digits and carry no nationality: what the reader compares.
    const asTd2 = parseMrz(lines, 'TD2');
    expect(asTd2.checks.filter((c) => c.valid).length).toBeLessThan(3);
    expect(correctMrz('FRENCH_NATIONAL_ID', read(lines)).lines).toEqual(lines);
    const broken = parseMrz(buildMrzLines('FRENCH_NATIONAL_ID', card, 'documentNumber'));
    expect(broken.checks.filter((c) => !c.valid).map((c) => c.name)).toEqual(['documentNumber']);
  });

  it('refuses text of no MRZ shape', () => {
    expect(() => parseMrz(['P<UTO', 'L898'])).toThrow(RangeError);
  });
});

const read = (lines: readonly string[], overrides: Record<string, Partial<MrzCharReading>> = {}): MrzCharReading[][] =>
  lines.map((line, l) => [...line].map((char, c) => ({ char, confidence: 0.98, ...overrides[`${l}:${c}`] })));

describe('correctMrz', () => {
  it('swaps look-alikes by field type and matches country codes (UT0 → UTO)', () => {
    const ocr = ['P<UT0ERIKSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<', 'L898902C36UT07408I22F12O4159ZE184226B<<<<<10'];
    const result = correctMrz('TD3', read(ocr));
    expect(result.lines).toEqual(TD3);
    expect(result.corrections.map((c) => c.reason)).toContain('field-type');
  });

  it('restores fillers misread as letters after the end of the name', () => {
    const ocr = [TD1[0]!, TD1[1]!, 'ERIKSSON<<ANNA<MARIA<<<K<<<C<<'];
    expect(ocr[2]).toHaveLength(30);
    const result = correctMrz('TD1', read(ocr));
    expect(result.lines[2]).toBe(TD1[2]);
    expect(result.corrections.filter((c) => c.reason === 'filler').map((c) => [c.column, c.from])).toEqual([[23, 'K'], [27, 'C']]);
  });

  it('fixes an unsure alphanumeric character by the check digit, preferring the recogniser’s second choice', () => {
    // Document number L898902C3 read as L898902G3 with low confidence: only C satisfies the digit 6.
    const ocr = [TD3[0]!, 'L898902G36UTO7408122F1204159ZE184226B<<<<<10'];
    const result = correctMrz('TD3', read(ocr, { '1:7': { confidence: 0.55, alternative: { char: 'C', probability: 0.4 } } }));
    expect(result.lines[1]).toBe(TD3[1]);
    expect(result.corrections).toContainEqual({ line: 1, column: 7, from: 'G', to: 'C', reason: 'check-digit' });
  });

  it('leaves a confidently read wrong check digit alone, so the failure is reported', () => {
    const broken = buildMrzLines('TD3', ICAO_TD3_SPECIMEN, 'documentNumber');
    const result = correctMrz('TD3', read(broken));
    expect(result.lines).toEqual(broken);
    expect(parseMrz(result.lines).checks[0]!.valid).toBe(false);
  });

  it('does not "fix" a wrong check digit by swapping a confidently read 0 for O (an even error)', () => {
    // L898902C3 has 0 at position 6 (weight 1): 0 → O adds 24 to the sum, 4 to the digit. A printed 0
    // instead of 6 is then "repaired" by that swap unless confident characters are left alone.
    const number = 'L898902C3';
    expect((computeCheckDigit(number.replace('0', 'O'))! - computeCheckDigit(number)! + 10) % 10).toBe(4);
    const head = `${number}0UTO7408122F1204159ZE184226B<<<<<1`;
    const lines = [TD3[0]!, head + String(computeCheckDigit(head.slice(0, 10) + head.slice(13, 20) + head.slice(21, 43)))];
    const result = correctMrz('TD3', read(lines));
    expect(result.corrections).toEqual([]);
    expect(result.lines).toEqual(lines);
    const checks = parseMrz(result.lines).checks;
    expect(checks.find((c) => c.name === 'documentNumber')).toEqual({ name: 'documentNumber', valid: false, digit: '0', expected: '6' });
    expect(checks.filter((c) => !c.valid).map((c) => c.name)).toEqual(['documentNumber']);
  });

  it('still swaps an unsure O/0 of the document number when the check digit asks for it', () => {
    const ocr = [TD3[0]!, 'L8989O2C36UTO7408122F1204159ZE184226B<<<<<10'];
    const result = correctMrz('TD3', read(ocr, { '1:5': { confidence: 0.7 } }));
    expect(result.lines).toEqual(TD3);
    expect(result.corrections).toEqual([{ line: 1, column: 5, from: 'O', to: '0', reason: 'check-digit' }]);
    // The same O read with confidence stays, and the failure is reported.
    expect(correctMrz('TD3', read(ocr)).lines[1]).toBe(ocr[1]);
  });
});
