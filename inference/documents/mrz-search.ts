import { cropExact } from '../image/image-sampling.js';
import type { RgbImage } from '../image/rgb-image.js';
import type { DocumentLocation } from './document.types.js';
import type { Quad } from './localization/perspective.js';
import { type MrzReading, readMrz } from './mrz/mrz-reader.js';
import type { OcrModels } from './ocr/ocr-models.js';
import { detectText, type TextBox } from './ocr/text-detector.js';

/** What the text passes found. */
export interface MrzSearch {
  /** Text boxes of the pass that gave the reading (or of the last pass), in image pixels. */
  readonly boxes: readonly TextBox[];
  readonly mrz: MrzReading | undefined;
  /** `document`: detection on the located document's crop; `photo`: on the whole photo. */
  readonly passes: ReadonlyArray<'document' | 'photo'>;
  readonly detectMs: number;
  readonly recognizeMs: number;
}

/**
 * Gain in detector resolution the document crop must bring over the whole photo to be detected
 * on first: below it, the whole photo alone is as good (the usual hand-held photo, where the
 * document fills most of the frame).
 */
const MIN_CROP_GAIN = 1.5;
/** Margin around the outline's bounding box, as a share of its long side (the outline may cut a corner). */
const CROP_MARGIN = 0.04;

/**
 * Text detection and MRZ reading in up to two passes. The detector sees the photo scaled to
 * `maxSide`; a document filling a third of a 4032 px phone photo then has MRZ characters about
 * 8 px high, under what the DB detector separates into lines. So when the outline was found and
 * its crop, at native resolution, gives the detector at least {@link MIN_CROP_GAIN}× more pixels
 * per character, the crop is detected on first; the whole photo is the fallback when the crop
 * gives no MRZ with a valid check digit (an outline that missed the MRZ). Recognition always cuts
 * its strips from the full-resolution photo.
 */
export async function searchMrz(models: OcrModels, image: RgbImage, location: DocumentLocation, maxSide: number): Promise<MrzSearch> {
  const regions: Array<{ pass: 'document' | 'photo'; x: number; y: number; image: RgbImage }> = [];
  const crop = location.corners ? cropRect(location.corners, image) : undefined;
  if (crop) {
    const gain = Math.min(1, maxSide / Math.max(crop.width, crop.height)) / Math.min(1, maxSide / Math.max(image.width, image.height));
    if (gain >= MIN_CROP_GAIN) regions.push({ pass: 'document', x: crop.x, y: crop.y, image: cropExact(image, crop.x, crop.y, crop.width, crop.height) });
  }
  regions.push({ pass: 'photo', x: 0, y: 0, image });
  const passes: Array<'document' | 'photo'> = [];
  let detectMs = 0;
  let recognizeMs = 0;
  let best: { boxes: readonly TextBox[]; mrz: MrzReading | undefined } | undefined;
  const validCount = (mrz: MrzReading | undefined) => mrz?.checks.filter((c) => c.valid).length ?? -1;
  for (const region of regions) {
    passes.push(region.pass);
    let t = performance.now();
    const detected = await detectText(models.detect, region.image, { maxSide });
    const boxes = region.x === 0 && region.y === 0 ? detected : detected.map((box) => shifted(box, region.x, region.y));
    detectMs += performance.now() - t;
    t = performance.now();
    const mrz = await readMrz(models, image, boxes);
    recognizeMs += performance.now() - t;
    if (!best || validCount(mrz) > validCount(best.mrz)) best = { boxes, mrz };
    if (mrz?.checks.some((c) => c.valid)) break;
  }
  return { boxes: best!.boxes, mrz: best!.mrz, passes, detectMs, recognizeMs };
}

/** The outline's bounding box with a margin, clipped to the image. */
function cropRect(corners: Quad, image: RgbImage): { x: number; y: number; width: number; height: number } {
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const margin = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) * CROP_MARGIN;
  const x = Math.max(0, Math.floor(Math.min(...xs) - margin));
  const y = Math.max(0, Math.floor(Math.min(...ys) - margin));
  const width = Math.min(image.width, Math.ceil(Math.max(...xs) + margin)) - x;
  const height = Math.min(image.height, Math.ceil(Math.max(...ys) + margin)) - y;
  return { x, y, width, height };
}

function shifted(box: TextBox, dx: number, dy: number): TextBox {
  const move = (p: { x: number; y: number }) => ({ x: p.x + dx, y: p.y + dy });
  return { ...box, center: move(box.center), corners: box.corners.map(move) as unknown as Quad };
}
