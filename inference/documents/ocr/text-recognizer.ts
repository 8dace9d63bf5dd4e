import ort from 'onnxruntime-node';
import type { RgbImage } from '../../image/rgb-image.js';
import { warpAffine } from '../../image/image-sampling.js';
import type { LoadedModel } from '../../runtime/onnx-runtime.js';
import type { TextBox } from './text-detector.js';

/** PP-OCRv4 recognition input height (PaddleOCR `rec_image_shape` 3,48,320). */
export const REC_HEIGHT = 48;

/**
 * The recogniser's classes: index 0 is the CTC blank, then the dictionary file's lines in order,
 * then a space (PaddleOCR `use_space_char`): dictionary + 2 classes.
 */
export interface RecognizerVocabulary {
  readonly classes: readonly string[];
}

/** Builds the class list from the dictionary text (one character a line). */
export function vocabularyFrom(dictionary: string): RecognizerVocabulary {
  const lines = dictionary.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return { classes: ['', ...lines, ' '] };
}

/** One decoded character. */
export interface RecognizedChar {
  readonly char: string;
  /** Highest probability over the character's timesteps. */
  readonly confidence: number;
  /** Timestep (output column) where the character peaked; columns are 8 input pixels wide. */
  readonly at: number;
  /** The next most likely allowed character at that timestep and its probability. */
  readonly alternative: { readonly char: string; readonly probability: number } | undefined;
}

/** One recognised line. */
export interface RecognizedLine {
  readonly text: string;
  /** Mean of the characters' confidences (0 for an empty line). */
  readonly confidence: number;
  readonly chars: readonly RecognizedChar[];
  /** Output columns of the line's own width (before padding to the batch). */
  readonly timesteps: number;
}

/** Options of {@link cropLine}. */
export interface CropLineOptions {
  /**
   * Horizontal scale relative to keeping the aspect ratio. Below 1 narrows the strip, which the
   * recogniser's cost follows linearly; monospaced MRZ text stays legible down to about 0.7.
   * @default 1
   */
  readonly xScale?: number;
  /** Turn the strip by 180° (text read upside down). @default false */
  readonly flip?: boolean;
  /** Widest strip, in pixels. @default 2400 */
  readonly maxWidth?: number;
}

/** Cuts a rotated text box out of `image` as a horizontal strip {@link REC_HEIGHT} pixels high. */
export function cropLine(image: RgbImage, box: TextBox, options: CropLineOptions = {}): RgbImage {
  const s = box.height / REC_HEIGHT;
  const xScale = options.xScale ?? 1;
  const width = Math.max(8, Math.min(options.maxWidth ?? 2400, Math.round((box.width / s) * xScale)));
  const sx = box.width / width;
  let ux = Math.cos(box.angle);
  let uy = Math.sin(box.angle);
  if (options.flip) {
    ux = -ux;
    uy = -uy;
  }
  // v is u turned 90° clockwise (image y points down).
  const vx = -uy;
  const vy = ux;
  // Destination pixel centres at (x, y) integers; source pixel centres at integers too, hence the −0.5.
  const c = box.center.x + (0.5 * sx - box.width / 2) * ux + (0.5 * s - box.height / 2) * vx - 0.5;
  const f = box.center.y + (0.5 * sx - box.width / 2) * uy + (0.5 * s - box.height / 2) * vy - 0.5;
  return warpAffine(image, [sx * ux, s * vx, c, sx * uy, s * vy, f], width, REC_HEIGHT);
}

/** Options of {@link recognizeLines}. */
export interface RecognizeOptions {
  /**
   * Characters the decoder may output; every other class is ignored at each timestep. The MRZ
   * uses `A–Z 0–9 <` (ICAO 9303 part 3 §4.3), which removes look-alikes from other scripts.
   * @default every class
   */
  readonly alphabet?: string;
}

/**
 * Recognises strips of height {@link REC_HEIGHT} in one batched run: strips are right-padded with
 * the normalised zero (mid grey, as PaddleOCR pads) to the widest, then CTC greedy decoding.
 */
export async function recognizeLines(model: LoadedModel, vocabulary: RecognizerVocabulary, strips: readonly RgbImage[], options: RecognizeOptions = {}): Promise<RecognizedLine[]> {
  if (strips.length === 0) return [];
  const width = Math.max(...strips.map((s) => s.width));
  const plane = REC_HEIGHT * width;
  const input = new Float32Array(strips.length * 3 * plane);
  strips.forEach((strip, n) => {
    const base = n * 3 * plane;
    for (let y = 0; y < REC_HEIGHT; y++) {
      for (let x = 0; x < strip.width; x++) {
        const p = (y * strip.width + x) * 3;
        const o = y * width + x;
        // BGR channel order, (v/255 − 0.5)/0.5 (PaddleOCR resize_norm_img).
        input[base + o] = strip.data[p + 2]! / 127.5 - 1;
        input[base + plane + o] = strip.data[p + 1]! / 127.5 - 1;
        input[base + 2 * plane + o] = strip.data[p]! / 127.5 - 1;
      }
    }
  });
  const tensor = new ort.Tensor('float32', input, [strips.length, 3, REC_HEIGHT, width]);
  const outputs = await model.session.run({ [model.session.inputNames[0]!]: tensor });
  const output = outputs[model.session.outputNames[0]!]!;
  const [, steps, classes] = output.dims as [number, number, number];
  const probabilities = output.data as Float32Array;
  const allowed = allowedClasses(vocabulary, options.alphabet);
  return strips.map((strip, n) => {
    // The network reduces width by 8; columns past the strip's own width saw only padding.
    const own = Math.min(steps, Math.ceil(strip.width / 8));
    return decode(probabilities.subarray(n * steps * classes, (n + 1) * steps * classes), own, classes, vocabulary, allowed);
  });
}

const allowedCache = new WeakMap<RecognizerVocabulary, Map<string, Int32Array>>();

function allowedClasses(vocabulary: RecognizerVocabulary, alphabet: string | undefined): Int32Array | undefined {
  if (alphabet === undefined) return undefined;
  let byAlphabet = allowedCache.get(vocabulary);
  if (!byAlphabet) allowedCache.set(vocabulary, (byAlphabet = new Map()));
  let indices = byAlphabet.get(alphabet);
  if (!indices) {
    const wanted = new Set(alphabet);
    indices = Int32Array.from(vocabulary.classes.flatMap((c, i) => (i > 0 && wanted.has(c) ? [i] : [])));
    byAlphabet.set(alphabet, indices);
  }
  return indices;
}

function decode(p: Float32Array, steps: number, classes: number, vocabulary: RecognizerVocabulary, allowed: Int32Array | undefined): RecognizedLine {
  const chars: RecognizedChar[] = [];
  let previous = 0;
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    let best = 0;
    let bestP = p[row]!;
    let second = -1;
    let secondP = 0;
    const consider = (k: number) => {
      const v = p[row + k]!;
      if (v > bestP) {
        if (best !== 0) {
          second = best;
          secondP = bestP;
        }
        best = k;
        bestP = v;
      } else if (k !== 0 && v > secondP) {
        second = k;
        secondP = v;
      }
    };
    if (allowed) for (let i = 0; i < allowed.length; i++) consider(allowed[i]!);
    else for (let k = 1; k < classes; k++) consider(k);
    if (best !== 0 && best !== previous) {
      chars.push({
        char: vocabulary.classes[best] ?? '',
        confidence: bestP,
        at: t,
        alternative: second > 0 ? { char: vocabulary.classes[second] ?? '', probability: secondP } : undefined,
      });
    } else if (best !== 0 && best === previous) {
      // Same character held over several columns: keep its peak.
      const last = chars[chars.length - 1]!;
      if (bestP > last.confidence) chars[chars.length - 1] = { ...last, confidence: bestP, at: t };
    }
    previous = best;
  }
  const text = chars.map((c) => c.char).join('');
  const confidence = chars.length > 0 ? chars.reduce((s, c) => s + c.confidence, 0) / chars.length : 0;
  return { text, confidence, chars, timesteps: steps };
}
