import type { RgbImage } from '../../image/rgb-image.js';
import type { DocumentOrientation } from '../document.types.js';
import type { OcrModels } from '../ocr/ocr-models.js';
import type { TextBox } from '../ocr/text-detector.js';
import { cropLine, recognizeLines } from '../ocr/text-recognizer.js';
import type { Point2, Quad } from './perspective.js';

/** Normalises radians to (−π, π]. */
function normalize(angle: number): number {
  let a = angle % (2 * Math.PI);
  if (a > Math.PI) a -= 2 * Math.PI;
  if (a <= -Math.PI) a += 2 * Math.PI;
  return a;
}

/**
 * Reading direction of an MRZ from its line boxes (corner 0 → 1 runs along the box's angle) and
 * whether it was read turned by 180° (`flipped`), radians.
 */
export function mrzReadingAngle(boxes: readonly Quad[], flipped: boolean): number {
  const [a, b] = boxes[0]!;
  return normalize(Math.atan2(b.y - a.y, b.x - a.x) + (flipped ? Math.PI : 0));
}

/** Text lines long enough to have a direction (a word of three or more letters). */
const MIN_LINE_ASPECT = 3;
/** Lines the recogniser reads each way to decide the sense of the text axis. */
const VOTE_LINES = 3;
/** Longest piece of a voting line, in line heights (about eight capitals). */
const VOTE_LENGTH = 6;

/**
 * Reading direction of a document without an MRZ (an ID card's front), radians: the axis is the
 * length-weighted mean direction of the text lines (a document's lines are parallel); its sense,
 * ambiguous by 180°, is the one in which the recogniser reads the longest lines more confidently
 * (upside-down print decodes to low-confidence noise). Costs one recogniser batch of at most
 * 2 × {@link VOTE_LINES} short strips. `undefined` when there are fewer than two lines.
 */
export async function textReadingAngle(models: OcrModels, image: RgbImage, boxes: readonly TextBox[]): Promise<number | undefined> {
  const lines = boxes.filter((b) => b.width / b.height >= MIN_LINE_ASPECT);
  if (lines.length < 2) return undefined;
  // Mean of doubled angles: directions are defined modulo π.
  let c = 0;
  let s = 0;
  for (const line of lines) {
    c += line.width * Math.cos(2 * line.angle);
    s += line.width * Math.sin(2 * line.angle);
  }
  const axis = Math.atan2(s, c) / 2;
  const voters = lines
    .filter((b) => Math.abs(Math.sin(b.angle - axis)) < Math.sin((15 * Math.PI) / 180))
    .sort((a, b) => b.width - a.width)
    .slice(0, VOTE_LINES);
  if (voters.length === 0) return axis;
  // A box whose own angle points against the axis reads along the axis when flipped.
  const along = voters.map((b) => Math.cos(b.angle - axis) < 0);
  // The middle of each line, at most VOTE_LENGTH heights long, is enough to tell print from upside-down print.
  const middles = voters.map((box) => ({ ...box, width: Math.min(box.width, VOTE_LENGTH * box.height) }));
  const strips = [false, true].flatMap((reverse) => middles.map((box, i) => cropLine(image, box, { flip: along[i] !== reverse })));
  const read = await recognizeLines(models.recognize, models.vocabulary, strips);
  const score = (from: number) => read.slice(from, from + voters.length).reduce((sum, line) => sum + line.confidence * line.chars.length, 0);
  return score(voters.length) > score(0) ? normalize(axis + Math.PI) : axis;
}

/** In-plane turn, degrees, up to which the detector's lines and the face detector work on the photo as it is. */
const UPRIGHT_TOLERANCE = 20;

/** Whether the document lies near enough upright for detectors trained on upright text and faces. */
export function isUpright(orientation: DocumentOrientation): boolean {
  return Math.abs(orientation.angle) <= UPRIGHT_TOLERANCE;
}

/** Radians to the reported degrees, one decimal. */
export function orientationOf(angle: number | undefined, source: DocumentOrientation['source']): DocumentOrientation {
  if (angle === undefined) return { angle: 0, source: 'none' };
  const degrees = Math.round(((normalize(angle) * 180) / Math.PI) * 10) / 10;
  return { angle: degrees === -180 ? 180 : degrees, source };
}

/**
 * The same four corners, clockwise, starting at the document's own top-left: the one first in
 * reading order (least `u + v` in the frame of the reading direction `angle`, radians).
 */
export function uprightQuad(corners: Quad, angle: number): Quad {
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  const key = (p: Point2) => p.x * ux + p.y * uy + (-p.x * uy + p.y * ux);
  let first = 0;
  for (let i = 1; i < 4; i++) if (key(corners[i]!) < key(corners[first]!)) first = i;
  return [0, 1, 2, 3].map((i) => corners[(first + i) % 4]!) as unknown as Quad;
}
