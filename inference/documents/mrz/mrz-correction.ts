import { isCheckDigitValid } from './mrz-check-digit.js';
import { isIcaoCode } from './mrz-countries.js';
import { MRZ_LAYOUTS, type MrzCharClass, type MrzFieldSlot, type MrzFormat } from './mrz-layout.js';

/** One character as the recogniser read it. */
export interface MrzCharReading {
  readonly char: string;
  /** 0..1. */
  readonly confidence: number;
  /** Second most likely MRZ character and its probability, when the recogniser had one. */
  readonly alternative?: { readonly char: string; readonly probability: number } | undefined;
}

/** Why a character was changed. */
export type MrzCorrectionReason = 'field-type' | 'country-code' | 'filler' | 'check-digit';

/** One change made to the OCR text. */
export interface MrzCorrection {
  readonly line: number;
  readonly column: number;
  readonly from: string;
  readonly to: string;
  readonly reason: MrzCorrectionReason;
}

/** Corrected lines, per-character confidences after correction, and what was changed. */
export interface CorrectedMrz {
  readonly lines: string[];
  readonly confidences: number[][];
  readonly corrections: MrzCorrection[];
}

// OCR-B look-alikes (ICAO 9303 part 3 §4.3 lists no confusion table; these are what OCR engines
// swap on OCR-B): a field that may hold only letters turns digits into the letter they resemble,
// and a digits-only field the other way round.
const DIGIT_TO_LETTER: Readonly<Record<string, string>> = { '0': 'O', '1': 'I', '2': 'Z', '4': 'A', '5': 'S', '6': 'G', '7': 'T', '8': 'B' };
const LETTER_TO_DIGIT: Readonly<Record<string, string>> = {
  O: '0', Q: '0', D: '0', U: '0', I: '1', L: '1', J: '1', Z: '2', A: '4', S: '5', G: '6', T: '7', B: '8',
};
/** Pairs an alphanumeric field may swap; only a check digit can tell which one is right. */
const AMBIGUOUS: Readonly<Record<string, string>> = {
  ...DIGIT_TO_LETTER,
  O: '0', Q: '0', D: '0', I: '1', Z: '2', A: '4', S: '5', G: '6', T: '7', B: '8',
};

/**
 * Corrects recognised MRZ text by what each position may hold (ICAO 9303 parts 4–7 field layouts):
 * letters-only and digits-only fields swap look-alikes, country codes are matched against the
 * ICAO list, fillers after the end of the name are restored, and alphanumeric fields (document
 * number, optional data) and misread check digits are resolved by searching the look-alike and
 * second-choice variants that make the check digits (part 3 §4.9) hold.
 */
export function correctMrz(format: MrzFormat, readings: ReadonlyArray<readonly MrzCharReading[]>): CorrectedMrz {
  const layout = MRZ_LAYOUTS[format];
  const chars = readings.map((line) => line.map((r) => r.char));
  const confidences = readings.map((line) => line.map((r) => r.confidence));
  const corrections: MrzCorrection[] = [];
  const set = (line: number, column: number, to: string, reason: MrzCorrectionReason, confidence?: number) => {
    const from = chars[line]![column]!;
    if (from === to) return;
    chars[line]![column] = to;
    if (confidence !== undefined) confidences[line]![column] = confidence;
    corrections.push({ line, column, from, to, reason });
  };
  const text = () => chars.map((l) => l.join(''));

  for (const field of layout.fields) {
    for (let i = 0; i < field.length; i++) {
      const column = field.start + i;
      const reading = readings[field.line]?.[column];
      if (!reading) continue;
      const fixed = byClass(field.kind, reading);
      if (fixed !== reading.char) set(field.line, column, fixed, 'field-type');
    }
  }

  // ICAO 9303 part 3 §4.6: components of a name are separated by one filler, surname and given
  // names by two; a run of three or more fillers can only be the padding after the name, so a
  // letter after one is a misread filler (typically `K` or `C`).
  for (const field of layout.fields.filter((f) => f.name === 'name')) {
    const line = chars[field.line]!;
    const run = line.slice(field.start, field.start + field.length).join('').search(/<<</);
    if (run < 0) continue;
    for (let c = field.start + run; c < field.start + field.length; c++) if (line[c] !== '<') set(field.line, c, '<', 'filler');
  }

  for (const field of layout.fields.filter((f) => f.name === 'issuingState' || f.name === 'nationality')) {
    correctCountry(field, readings, chars, set);
  }

  for (const check of layout.checks.filter((c) => c.name !== 'composite')) {
    resolveCheck(format, check.name, readings, chars, confidences, set, text);
  }
  const composite = layout.checks.find((c) => c.name === 'composite');
  if (composite) resolveCheck(format, 'composite', readings, chars, confidences, set, text);
  return { lines: text(), confidences, corrections };
}

function byClass(kind: MrzCharClass, reading: MrzCharReading): string {
  const { char, alternative } = reading;
  if (kind === 'alpha') {
    if (/[A-Z<]/.test(char)) return char;
    if (alternative && /[A-Z<]/.test(alternative.char) && alternative.probability > 0.05) return alternative.char;
    return DIGIT_TO_LETTER[char] ?? char;
  }
  if (kind === 'numeric' || kind === 'check') {
    if (/[0-9<]/.test(char)) return char;
    if (alternative && /[0-9]/.test(alternative.char) && alternative.probability > 0.05) return alternative.char;
    return LETTER_TO_DIGIT[char] ?? char;
  }
  return char;
}

type Setter = (line: number, column: number, to: string, reason: MrzCorrectionReason, confidence?: number) => void;

function correctCountry(field: MrzFieldSlot, readings: ReadonlyArray<readonly MrzCharReading[]>, chars: string[][], set: Setter): void {
  const current = chars[field.line]!.slice(field.start, field.start + field.length);
  if (isIcaoCode(current.join(''))) return;
  // Each position may be what was read, its look-alike letter or the recogniser's second choice;
  // the most confident combination that is a real code wins.
  const options = current.map((char, i) => {
    const reading = readings[field.line]?.[field.start + i];
    const list: Array<{ char: string; cost: number }> = [{ char, cost: 0 }];
    if (reading?.alternative && /[A-Z<]/.test(reading.alternative.char)) list.push({ char: reading.alternative.char, cost: 1 - reading.alternative.probability });
    const lookAlike = AMBIGUOUS[char];
    if (lookAlike && /[A-Z]/.test(lookAlike)) list.push({ char: lookAlike, cost: 0.9 });
    return list;
  });
  let best: { code: string[]; cost: number } | undefined;
  const walk = (i: number, code: string[], cost: number) => {
    if (i === options.length) {
      if (isIcaoCode(code.join('')) && (!best || cost < best.cost)) best = { code: code.slice(), cost };
      return;
    }
    for (const option of options[i]!) walk(i + 1, [...code, option.char], cost + option.cost);
  };
  walk(0, [], 0);
  if (best) best.code.forEach((c, i) => set(field.line, field.start + i, c, 'country-code'));
}

/** Characters read below this confidence may be changed to satisfy a check digit. */
const UNSURE_BELOW = 0.9;
/** A second choice at least this likely also makes a character changeable. */
const SERIOUS_ALTERNATIVE = 0.08;

interface Position {
  readonly line: number;
  readonly column: number;
  readonly options: ReadonlyArray<{ readonly char: string; readonly cost: number }>;
}

/**
 * Makes one check digit hold by the cheapest change of at most two characters of the data it
 * covers (or of the digit itself), trying only look-alike swaps and the recogniser's second
 * choices: an arbitrary substitution would satisfy a mod-10 digit one time in ten.
 */
function resolveCheck(
  format: MrzFormat,
  name: string,
  readings: ReadonlyArray<readonly MrzCharReading[]>,
  chars: string[][],
  confidences: number[][],
  set: Setter,
  text: () => string[],
): void {
  const layout = MRZ_LAYOUTS[format];
  const check = layout.checks.find((c) => c.name === name)!;
  const digitSlot = layout.fields.find((f) => f.name === check.digit)!;
  const valid = () => {
    const lines = text();
    const data = check.covers.map(([l, s, n]) => lines[l]!.slice(s, s + n)).join('');
    return isCheckDigitValid(data, lines[digitSlot.line]![digitSlot.start]!, check.optional);
  };
  if (valid()) return;
  // Characters a sub-check already vouches for are left alone by the composite search.
  const protectedColumns = new Set<string>();
  if (name === 'composite') {
    for (const other of layout.checks.filter((c) => c.name !== 'composite')) {
      const slot = layout.fields.find((f) => f.name === other.digit)!;
      const lines = text();
      const data = other.covers.map(([l, s, n]) => lines[l]!.slice(s, s + n)).join('');
      if (!isCheckDigitValid(data, lines[slot.line]![slot.start]!, other.optional)) continue;
      for (const [l, s, n] of other.covers) for (let c = s; c < s + n; c++) protectedColumns.add(`${l}:${c}`);
      protectedColumns.add(`${slot.line}:${slot.start}`);
    }
  }
  const kindAt = (line: number, column: number): MrzCharClass =>
    layout.fields.find((f) => f.line === line && column >= f.start && column < f.start + f.length)?.kind ?? 'alnum';
  const positions: Position[] = [];
  const cells: Array<[number, number]> = [...check.covers.flatMap(([l, s, n]) => Array.from({ length: n }, (_, i) => [l, s + i] as [number, number])), [digitSlot.line, digitSlot.start]];
  for (const [line, column] of cells) {
    if (protectedColumns.has(`${line}:${column}`)) continue;
    const char = chars[line]![column]!;
    const reading = readings[line]?.[column];
    const kind = kindAt(line, column);
    const fits = (c: string) => (kind === 'alpha' ? /[A-Z<]/.test(c) : kind === 'numeric' || kind === 'check' ? /[0-9<]/.test(c) : true);
    const options: Array<{ char: string; cost: number }> = [];
    const confidence = confidences[line]![column] ?? 1;
    // A character read with confidence and no serious second choice is taken as printed, O and 0
    // included: what keeps a genuinely wrong check digit from being "corrected" into a valid one. An
    // O ↔ 0 swap moves the sum by 24 × weight (168, 72, 24: 8, 2 or 4 mod 10), so without this rule
    // a digit printed off by an even amount would be "repaired" whenever the data holds an O or a 0.
    // (Impossible characters, a letter in a digits-only field, were already fixed by field type.)
    if (confidence >= UNSURE_BELOW && !((reading?.alternative?.probability ?? 0) >= SERIOUS_ALTERNATIVE)) continue;
    if (reading?.alternative && reading.alternative.char !== char && fits(reading.alternative.char)) {
      options.push({ char: reading.alternative.char, cost: Math.max(0.01, confidence - reading.alternative.probability) });
    }
    const lookAlike = AMBIGUOUS[char];
    // O and 0 differ only in width in OCR-B (ICAO 9303 part 3 §4.2): the likeliest swap of an unsure character.
    const zeroOrO = char === 'O' || char === '0';
    if (lookAlike && fits(lookAlike) && !options.some((o) => o.char === lookAlike)) options.push({ char: lookAlike, cost: zeroOrO ? 0.3 : 0.5 + confidence * 0.4 });
    if (options.length > 0) positions.push({ line, column, options });
  }
  let best: { changes: Array<{ p: Position; char: string }>; cost: number } | undefined;
  const consider = (changes: Array<{ p: Position; char: string }>, cost: number) => {
    if (best && cost >= best.cost) return;
    const saved = changes.map(({ p }) => chars[p.line]![p.column]!);
    changes.forEach(({ p, char }) => (chars[p.line]![p.column] = char));
    if (valid()) best = { changes, cost };
    changes.forEach(({ p }, i) => (chars[p.line]![p.column] = saved[i]!));
  };
  for (let i = 0; i < positions.length; i++) {
    for (const a of positions[i]!.options) {
      consider([{ p: positions[i]!, char: a.char }], a.cost);
      for (let j = i + 1; j < positions.length; j++) {
        // Two changes must cost clearly more than one, so a single fix is preferred when both exist.
        for (const b of positions[j]!.options) consider([{ p: positions[i]!, char: a.char }, { p: positions[j]!, char: b.char }], a.cost + b.cost + 0.5);
      }
    }
  }
  if (best) for (const { p, char } of best.changes) set(p.line, p.column, char, 'check-digit', Math.min(confidences[p.line]![p.column] ?? 1, 0.9));
}
