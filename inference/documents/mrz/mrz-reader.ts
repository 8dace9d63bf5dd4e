import type { RgbImage } from '../../image/rgb-image.js';
import type { Quad } from '../localization/perspective.js';
import type { OcrModels } from '../ocr/ocr-models.js';
import type { TextBox } from '../ocr/text-detector.js';
import { cropLine, type RecognizedChar, type RecognizedLine, recognizeLines } from '../ocr/text-recognizer.js';
import { type MrzCharReading, type MrzCorrection, correctMrz } from './mrz-correction.js';
import { MRZ_LAYOUTS, type MrzFormat, mrzFormatOf } from './mrz-layout.js';
import { locateMrz } from './mrz-locator.js';
import { type MrzParseResult, parseMrz } from './mrz-parser.js';

/** ICAO 9303 part 3 §4.3: the MRZ character set. */
export const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

/** An MRZ read from an image. */
export interface MrzReading extends MrzParseResult {
  /** The recogniser's text before length repair and correction. */
  readonly rawLines: readonly string[];
  /** Every character changed from what was read, and why. */
  readonly corrections: readonly MrzCorrection[];
  /** Per-character confidence after correction (a filler inserted for a missed column counts 0). */
  readonly charConfidences: ReadonlyArray<readonly number[]>;
  /** Mean character confidence, 0..1. */
  readonly confidence: number;
  /** Where each line was found, in image pixels. */
  readonly boxes: readonly Quad[];
  /** The document was upside down. */
  readonly flipped: boolean;
}

/** Options of {@link readMrz}. */
export interface ReadMrzOptions {
  /**
   * Horizontal scale of the line strips given to the recogniser (its cost is linear in width).
   * @default 1
   */
  readonly xScale?: number;
}

/**
 * Locates the MRZ among detected text boxes, recognises its lines in one batch with the alphabet
 * restricted to `A–Z 0–9 <`, repairs each line to its fixed length, corrects by field type and
 * check digits, and parses. Returns `undefined` when no MRZ-shaped band is found or its text has
 * no MRZ shape. An upside-down guess that yields no valid check digit is retried the other way.
 */
export async function readMrz(models: OcrModels, image: RgbImage, boxes: readonly TextBox[], options: ReadMrzOptions = {}): Promise<MrzReading | undefined> {
  const band = locateMrz(boxes);
  if (!band) return undefined;
  const attempts: Array<[readonly TextBox[], boolean]> = [
    [band.lines, band.flipped],
    [band.lines.slice().reverse(), !band.flipped],
  ];
  // Three rows may be a two-line MRZ with one row of the visual zone next to it.
  if (band.lines.length === 3) {
    attempts.push([band.lines.slice(1), band.flipped], [band.lines.slice(0, 2), band.flipped]);
  }
  let best: MrzReading | undefined;
  const validCount = (r: MrzReading | undefined) => r?.checks.filter((c) => c.valid).length ?? -1;
  for (const [lines, flipped] of attempts) {
    const reading = await readBand(models, image, lines, flipped, options);
    if (validCount(reading) > validCount(best)) best = reading;
    if (best && best.checks.some((c) => c.valid)) return best;
  }
  return best;
}

/**
 * Share of the detector's box height kept for recognition. DB boxes are grown by the unclip
 * ratio; on OCR-B lines the recogniser drops fewer narrow letters (I, J, C) from a tighter strip
 * (measured on the generated set: 0 missed letters at 0.8 against several at 1.0).
 */
const STRIP_HEIGHT = 0.8;
/** Horizontal stretch of the second reading of a line that came out with the wrong length. */
const RETRY_X_SCALE = 1.3;

async function readBand(models: OcrModels, image: RgbImage, lines: readonly TextBox[], flipped: boolean, options: ReadMrzOptions): Promise<MrzReading | undefined> {
  const tight = lines.map((box) => ({ ...box, height: box.height * STRIP_HEIGHT }));
  const strips = tight.map((box) => cropLine(image, box, { flip: flipped, xScale: options.xScale ?? 1 }));
  const recognized = await recognizeLines(models.recognize, models.vocabulary, strips, { alphabet: MRZ_ALPHABET });
  const format = guessFormat(recognized);
  if (!format) return undefined;
  const { length } = MRZ_LAYOUTS[format];
  // A line with characters missing or extra is read once more, stretched: the recogniser then has
  // more output columns per character, which is what it lacks when it merges or drops one.
  const retry = recognized.flatMap((line, i) => (line.chars.length === length ? [] : [i]));
  if (retry.length > 0) {
    const again = await recognizeLines(
      models.recognize,
      models.vocabulary,
      retry.map((i) => cropLine(image, tight[i]!, { flip: flipped, xScale: (options.xScale ?? 1) * RETRY_X_SCALE })),
      { alphabet: MRZ_ALPHABET },
    );
    retry.forEach((i, k) => {
      const second = again[k]!;
      if (Math.abs(second.chars.length - length) < Math.abs(recognized[i]!.chars.length - length)) recognized[i] = second;
    });
  }
  const readings = recognized.map((line) => toLength(line, length));
  // Visas share their lengths with TD2/TD3 and differ by the first letter, known only after reading.
  const actual = mrzFormatOf(readings.map((r) => r.map((c) => c.char).join(''))) ?? format;
  // The French card's 2 × 36 zone is not TD2 (other fields, other check digits): read both ways
  // and keep the one whose check digits hold, the first letters deciding a tie (`IDFRA` may be misread).
  const candidates: MrzFormat[] = actual === 'TD2' ? ['TD2', 'FRENCH_NATIONAL_ID'] : actual === 'FRENCH_NATIONAL_ID' ? [actual, 'TD2'] : [actual];
  let chosen: { corrected: ReturnType<typeof correctMrz>; parsed: MrzParseResult } | undefined;
  for (const candidate of candidates) {
    const corrected = correctMrz(candidate, readings);
    let parsed: MrzParseResult;
    try {
      parsed = parseMrz(corrected.lines, candidate);
    } catch {
      continue;
    }
    const valid = (p: MrzParseResult) => p.checks.filter((c) => c.valid).length;
    if (!chosen || valid(parsed) > valid(chosen.parsed)) chosen = { corrected, parsed };
  }
  if (!chosen) return undefined;
  const { corrected, parsed } = chosen;
  const all = corrected.confidences.flat();
  return {
    ...parsed,
    rawLines: recognized.map((l) => l.text),
    corrections: corrected.corrections,
    charConfidences: corrected.confidences,
    confidence: all.length > 0 ? all.reduce((s, c) => s + c, 0) / all.length : 0,
    boxes: lines.map((l) => l.corners),
    flipped,
  };
}

/** The format from the number of lines and how many characters were read on them. */
function guessFormat(lines: readonly RecognizedLine[]): MrzFormat | undefined {
  if (lines.length === 3) return 'TD1';
  if (lines.length !== 2) return undefined;
  const mean = (lines[0]!.chars.length + lines[1]!.chars.length) / 2;
  if (mean < 25 || mean > 52) return undefined;
  return Math.abs(mean - 44) < Math.abs(mean - 36) ? 'TD3' : 'TD2';
}

const FILLER: MrzCharReading = { char: '<', confidence: 0 };

/**
 * Brings a recognised line to its fixed length. MRZ text is monospaced (ICAO 9303 part 3 §4.2),
 * so each character's output column tells its position: the character pitch is the median
 * spacing of neighbours; characters on one position keep the more confident, and positions
 * nobody claimed (typically one filler of a long run that CTC merged) become fillers.
 */
export function toLength(line: RecognizedLine, length: number): MrzCharReading[] {
  const chars = line.chars;
  const asReading = (c: RecognizedChar): MrzCharReading => ({ char: c.char, confidence: c.confidence, alternative: c.alternative });
  if (chars.length === length) return chars.map(asReading);
  if (chars.length < 2) return Array.from({ length }, () => FILLER);
  const spacings = chars.slice(1).map((c, i) => c.at - chars[i]!.at).sort((a, b) => a - b);
  let pitch = spacings[Math.floor(spacings.length / 2)]!;
  const span = chars[chars.length - 1]!.at - chars[0]!.at;
  // When the read characters cover the whole line, the span fixes the pitch better than the median.
  if (chars.length > length) pitch = span / (length - 1);
  else if (Math.abs(span / (length - 1) - pitch) < pitch * 0.12) pitch = span / (length - 1);
  if (!(pitch > 0)) return chars.slice(0, length).map(asReading).concat(Array.from({ length: Math.max(0, length - chars.length) }, () => FILLER));
  const slots: Array<MrzCharReading | undefined> = Array.from({ length }, () => undefined);
  for (const c of chars) {
    const column = Math.round((c.at - chars[0]!.at) / pitch);
    if (column < 0 || column >= length) continue;
    const current = slots[column];
    if (!current || c.confidence > current.confidence) slots[column] = asReading(c);
  }
  return slots.map((s) => s ?? FILLER);
}
