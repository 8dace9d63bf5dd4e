import type { RgbImage } from '../../image/rgb-image.js';
import { insideQuad, type Point2, type Quad } from '../localization/perspective.js';
import type { OcrModels } from '../ocr/ocr-models.js';
import type { TextBox } from '../ocr/text-detector.js';
import { cropLine, recognizeLines } from '../ocr/text-recognizer.js';

/** One line of the visual zone, read upright, with its place in the document's reading frame. */
export interface VizLine {
  readonly text: string;
  readonly confidence: number;
  /** Extent along the reading direction (`u`) and down the document (`v`), photo pixels. */
  readonly u0: number;
  readonly u1: number;
  readonly v0: number;
  readonly v1: number;
}

/**
 * Characters a Latin-script visual zone prints (ICAO 9303 part 3 §3: the VIZ may use national
 * characters; the common Latin ones are kept, other scripts are out of scope). Restricting the
 * recogniser's 6,600 classes to these removes look-alikes from other scripts.
 */
export const VIZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,/-'()ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿ";
/** Most lines read: the largest ones of the region (a data page has 15–25 labels and values). */
const MAX_LINES = 28;
/** Strips per recogniser run, grouped by width so that little is padding. */
const BATCH = 8;
/** Horizontal scale of the strips: the VIZ's proportional print stays legible narrower, and the recogniser's cost is linear in width. */
const X_SCALE = 0.8;

/** Options of {@link readVisualZone}. */
export interface ReadVizOptions {
  /** The document's corners, upright (clockwise from its top-left); lines outside are not read. */
  readonly document: Quad | null;
  /** MRZ line boxes: their text is not visual zone. */
  readonly mrzBoxes: readonly Quad[];
  /** Reading direction of the document, radians. */
  readonly angle: number;
}

/**
 * Reads the visual zone: the detected lines inside the document that are not MRZ, each turned to
 * the document's reading direction, recognised in width-sorted batches with a Latin alphabet.
 * Cost is bounded by {@link MAX_LINES}.
 */
export async function readVisualZone(models: OcrModels, image: RgbImage, boxes: readonly TextBox[], options: ReadVizOptions): Promise<VizLine[]> {
  const ux = Math.cos(options.angle);
  const uy = Math.sin(options.angle);
  const u = (p: Point2) => p.x * ux + p.y * uy;
  const v = (p: Point2) => -p.x * uy + p.y * ux;
  const candidates = boxes
    .filter((box) => !options.mrzBoxes.some((quad) => insideQuad(quad, box.center)))
    .filter((box) => !options.document || insideQuad(options.document, box.center))
    // A line across the reading direction is not print of this document (a vertical number on a card edge, noise).
    .filter((box) => Math.abs(Math.sin(box.angle - options.angle)) < Math.sin((20 * Math.PI) / 180))
    .sort((a, b) => b.width * b.height - a.width * a.height)
    .slice(0, MAX_LINES)
    .map((box) => ({ box, strip: cropLine(image, box, { flip: Math.cos(box.angle - options.angle) < 0, xScale: X_SCALE, maxWidth: 1200 }) }))
    .sort((a, b) => a.strip.width - b.strip.width);
  const lines: VizLine[] = [];
  for (let start = 0; start < candidates.length; start += BATCH) {
    const batch = candidates.slice(start, start + BATCH);
    const read = await recognizeLines(
      models.recognize,
      models.vocabulary,
      batch.map((c) => c.strip),
      { alphabet: VIZ_ALPHABET },
    );
    batch.forEach(({ box }, i) => {
      const text = read[i]!.text.trim();
      if (text === '') return;
      const us = box.corners.map(u);
      const vs = box.corners.map(v);
      lines.push({ text, confidence: read[i]!.confidence, u0: Math.min(...us), u1: Math.max(...us), v0: Math.min(...vs), v1: Math.max(...vs) });
    });
  }
  return lines.sort((a, b) => a.v0 - b.v0 || a.u0 - b.u0);
}
