/**
 * Value of one MRZ character in the check-digit sum (ICAO 9303 part 3 §4.9): digits are
 * themselves, `A`–`Z` are 10–35, the filler `<` is 0. Anything else is not an MRZ character.
 */
export function mrzCharValue(char: string): number {
  const code = char.charCodeAt(0);
  if (char.length !== 1) return Number.NaN;
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  if (char === '<') return 0;
  return Number.NaN;
}

// ICAO 9303 part 3 §4.9: weights 7, 3, 1 repeated from the first character.
const WEIGHTS = [7, 3, 1] as const;

/**
 * The check digit of `data` (ICAO 9303 part 3 §4.9): the weighted sum of the character values
 * with weights 7-3-1, modulo 10. Returns `undefined` when `data` holds a non-MRZ character.
 */
export function computeCheckDigit(data: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const value = mrzCharValue(data[i]!);
    if (Number.isNaN(value)) return undefined;
    sum += value * WEIGHTS[i % 3]!;
  }
  return sum % 10;
}

/**
 * Whether `digit` is the check digit of `data`. ICAO 9303 part 3 §4.9 lets an issuer leave an
 * optional field and its check digit all fillers; `allowFillerDigit` accepts `<` then (only
 * when the data is fillers too, as for an absent personal number in TD3, part 4 §4.2.2.2).
 */
export function isCheckDigitValid(data: string, digit: string, allowFillerDigit = false): boolean {
  if (allowFillerDigit && digit === '<' && /^<*$/.test(data)) return true;
  const expected = computeCheckDigit(data);
  return expected !== undefined && digit === String(expected);
}
