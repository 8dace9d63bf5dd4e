import { InferenceError } from '../inference.errors.js';
import { cropExact, cropResize } from '../image/image-sampling.js';
import { resizeRgb } from '../image/image-resize.js';
import type { RgbImage } from '../image/rgb-image.js';
import { type LoadedModel, runModelBatch } from '../runtime/onnx-runtime.js';
import { centredRgbPlanes } from './face-tensors.js';
import type { Box, FaceSearch } from './face.types.js';

/** Detector input: fr_detect is an RFB-320 graph with a fixed 1×3×240×320 input. */
export const DETECT_WIDTH = 320;
export const DETECT_HEIGHT = 240;
/** Faces this small on the detector's input are still found reliably (the smallest prior is 10 px). */
const RELIABLE_INPUT_FACE = 24;
/** Tile overlap at pyramid levels: faces up to twice RELIABLE_INPUT_FACE fit whole in some tile. */
const TILE_OVERLAP_X = 48;
const TILE_OVERLAP_Y = 48;
/**
 * Score a fine-level candidate must reach, on its tile and again on its context crop. Above the
 * general threshold because tiles invite look-alikes: on the face-api demo photos hands, hair and
 * a knee scored 0.70–0.75 there, while the smallest real faces of the face-api and Human sample
 * photos scored 0.84 or more.
 */
const CONFIRM_MIN_SCORE = 0.8;

/** One raw detection in image pixels. */
export interface Detection {
  /** Square box as the reference post-processing builds it (side = detector height), not clipped. */
  readonly box: Box;
  /** The detector's own rectangle. */
  readonly raw: Box;
  readonly score: number;
}

/** Detection parameters. */
export interface DetectOptions {
  readonly search: FaceSearch;
  readonly minFaceSize: number;
  readonly minScore: number;
  /** IoU above which the weaker of two boxes is suppressed. */
  readonly nmsIou: number;
  /** Search only this rectangle (see `AnalyzeFacesOptions.region`). */
  readonly region?: Box;
}

/** Counts detector runs, for timings and for the small-face measurements. */
export interface DetectStats {
  passes: number;
}

/** One image to search, with its parameters. */
export interface DetectRequest {
  readonly image: RgbImage;
  readonly options: DetectOptions;
  readonly stats?: DetectStats;
}

/**
 * Finds every face of each image: one pass over the letterboxed image (the first passes of all
 * images in one detector run), then (by `search`) pyramid levels at twice the scale each, cut
 * into overlapping 320×240 tiles, until a face of `minFaceSize` pixels reaches the detector's
 * reliable size; all candidates merged by non-maximum suppression. With a `region`, the same on
 * that rectangle alone (the detector then sees a document's portrait at the scale of the
 * document, not of the photo), boxes returned in whole-image pixels.
 */
export async function detectFaces(model: LoadedModel, requests: readonly DetectRequest[]): Promise<Detection[][]> {
  const searched = requests.flatMap((request, index) => {
    if (!request.options.region) return [{ ...request, index, view: request.image, dx: 0, dy: 0 }];
    const region = clipRegion(request.options.region, request.image);
    if (!region) return [];
    return [{ ...request, index, view: cropExact(request.image, region.x, region.y, region.width, region.height), dx: region.x, dy: region.y }];
  });
  const levels = await Promise.all(searched.map(({ view }) => levelOf(view, Math.min(DETECT_WIDTH / view.width, DETECT_HEIGHT / view.height))));
  const found = await runDetector(model, levels.flatMap((l) => l.tiles), Math.min(...searched.map((r) => r.options.minScore)));
  const results: Detection[][] = requests.map(() => []);
  let next = 0;
  for (const [i, { index, view, dx, dy, options, stats }] of searched.entries()) {
    const level = levels[i]!;
    if (stats) stats.passes += level.tiles.length;
    const own = found.slice(next, (next += level.tiles.length)).map((tile) => tile.filter((d) => d.score >= options.minScore));
    const detections = await refine(model, view, nms(detectionsOf(level, own), options.nmsIou), options, stats);
    results[index] = detections.map(({ raw, score }) => {
      const shifted = { ...raw, x: raw.x + dx, y: raw.y + dy };
      return { raw: shifted, box: squareBox(shifted), score };
    });
  }
  return results;
}

/** The region in whole pixels, clipped to the image; `undefined` when nothing of it is inside. */
function clipRegion(region: Box, image: RgbImage): Box | undefined {
  if (![region.x, region.y, region.width, region.height].every(Number.isFinite)) {
    throw new InferenceError('INTERNAL', 'region must have finite coordinates');
  }
  // An empty region (a document outline collapsed to a line) holds no face; throwing here would fail every request
  // batched with this one.
  if (region.width <= 0 || region.height <= 0) return undefined;
  const x = Math.max(0, Math.floor(region.x));
  const y = Math.max(0, Math.floor(region.y));
  const width = Math.min(image.width, Math.ceil(region.x + region.width)) - x;
  const height = Math.min(image.height, Math.ceil(region.y + region.height)) - y;
  return width >= 1 && height >= 1 ? { x, y, width, height } : undefined;
}

/** The pyramid search after the first pass found `coarse`, when `search` asks for it. */
async function refine(model: LoadedModel, image: RgbImage, coarse: Detection[], options: DetectOptions, stats?: DetectStats): Promise<Detection[]> {
  const r0 = Math.min(DETECT_WIDTH / image.width, DETECT_HEIGHT / image.height);
  const wantPyramid = options.search === 'thorough' || (options.search === 'auto' && coarse.length === 0);
  if (!wantPyramid) return coarse;
  const fine: Detection[] = [];
  // Scale at which a face of minFaceSize pixels becomes RELIABLE_INPUT_FACE pixels on the input;
  // never above 2× (upsampling further only invents pixels).
  const target = Math.min(2, RELIABLE_INPUT_FACE / options.minFaceSize);
  for (let r = r0 * 2; r0 < target; r *= 2) {
    const scale = Math.min(r, target);
    fine.push(...(await detectLevel(model, image, scale, options.minScore, stats)));
    if (scale >= target) break;
  }
  // Tiles show the detector faces without their surroundings, and hands, knees and folds then
  // pass as faces (seen on the face-api group photos). A fine-level candidate that no coarse box
  // explains is kept only if the detector confirms it on a crop of 3× its size around it, the
  // context the detector was trained with.
  const unexplained = nms(fine, options.nmsIou).filter(
    (candidate) => candidate.score >= CONFIRM_MIN_SCORE && !coarse.some((c) => iou(c.raw, candidate.raw) > options.nmsIou || overlapOfSmaller(c.raw, candidate.raw) > 0.7),
  );
  const verified = await verifyCandidates(model, image, unexplained, Math.max(options.minScore, CONFIRM_MIN_SCORE), stats);
  return nms([...coarse, ...verified], options.nmsIou);
}

/** Each candidate that the detector finds again on a 3× context crop around it (all crops in one run). */
async function verifyCandidates(model: LoadedModel, image: RgbImage, candidates: readonly Detection[], minScore: number, stats?: DetectStats): Promise<Detection[]> {
  const rects = candidates.map(({ box }) => {
    const side = box.height * 3;
    return { x: box.x + box.width / 2 - (side * 4) / 6, y: box.y + box.height / 2 - side / 2, width: (side * 4) / 3, height: side };
  });
  if (stats) stats.passes += rects.length;
  const found = await runDetector(model, rects.map((rect) => cropResize(image, rect, DETECT_WIDTH, DETECT_HEIGHT)), minScore);
  return candidates.flatMap((candidate, i) => {
    const rect = rects[i]!;
    const sx = rect.width / DETECT_WIDTH;
    const sy = rect.height / DETECT_HEIGHT;
    let best: Detection | undefined;
    for (const d of found[i]!) {
      const raw: Box = { x: rect.x + d.x1 * sx, y: rect.y + d.y1 * sy, width: (d.x2 - d.x1) * sx, height: (d.y2 - d.y1) * sy };
      if (iou(raw, candidate.raw) < 0.5) continue;
      if (!best || d.score > best.score) best = { raw, box: squareBox(raw), score: Math.min(d.score, candidate.score) };
    }
    return best ? [best] : [];
  });
}

/** One pyramid level: the image at `scale`, cut into overlapping 320×240 tiles. */
interface Level {
  readonly tiles: RgbImage[];
  readonly origins: ReadonlyArray<{ tx: number; ty: number }>;
  readonly width: number;
  readonly height: number;
  /** Level pixels → image pixels. */
  readonly sx: number;
  readonly sy: number;
}

async function levelOf(image: RgbImage, scale: number): Promise<Level> {
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const level = await resizeRgb(image, width, height);
  const origins = tileStarts(height, DETECT_HEIGHT, TILE_OVERLAP_Y).flatMap((ty) => tileStarts(width, DETECT_WIDTH, TILE_OVERLAP_X).map((tx) => ({ tx, ty })));
  const tiles = origins.map(({ tx, ty }) => cropExact(level, tx, ty, DETECT_WIDTH, DETECT_HEIGHT));
  return { tiles, origins, width, height, sx: image.width / width, sy: image.height / height };
}

/** The detections of a level's tiles (`found[i]` of tile i) in image pixels. */
function detectionsOf({ origins, width, height, sx, sy }: Level, found: readonly RawDetection[][]): Detection[] {
  return origins.flatMap(({ tx, ty }, i) =>
    found[i]!.flatMap((d) => {
      // A face cut by a tile edge that is not an image edge is left to the neighbouring tile
      // (overlap) or to the coarser level.
      const cut =
        (d.x1 <= 1 && tx > 0) ||
        (d.y1 <= 1 && ty > 0) ||
        (d.x2 >= DETECT_WIDTH - 2 && tx + DETECT_WIDTH < width) ||
        (d.y2 >= DETECT_HEIGHT - 2 && ty + DETECT_HEIGHT < height);
      if (cut) return [];
      const raw: Box = { x: (tx + d.x1) * sx, y: (ty + d.y1) * sy, width: (d.x2 - d.x1) * sx, height: (d.y2 - d.y1) * sy };
      return [{ raw, box: squareBox(raw), score: d.score }];
    }),
  );
}

/** Detections at one pyramid level, all its tiles in one detector run. */
async function detectLevel(model: LoadedModel, image: RgbImage, scale: number, minScore: number, stats?: DetectStats): Promise<Detection[]> {
  const level = await levelOf(image, scale);
  if (stats) stats.passes += level.tiles.length;
  return detectionsOf(level, await runDetector(model, level.tiles, minScore));
}

/** Start offsets of tiles of `tile` pixels covering `length` with at least `overlap` shared pixels. */
function tileStarts(length: number, tile: number, overlap: number): number[] {
  if (length <= tile) return [0];
  const count = Math.ceil((length - overlap) / (tile - overlap));
  const step = (length - tile) / (count - 1);
  return Array.from({ length: count }, (_, i) => Math.round(i * step));
}

interface RawDetection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

/** The detector on 320×240 tiles, in one run: RGB, (v − 127) / 128, NCHW (lib/fr_detect.js); raw boxes per tile. */
async function runDetector(model: LoadedModel, tiles: readonly RgbImage[], minScore: number): Promise<RawDetection[][]> {
  if (tiles.length === 0) return [];
  const outputs = await runModelBatch(model, tiles.map(centredRgbPlanes), [3, DETECT_HEIGHT, DETECT_WIDTH]);
  return outputs.map((out) => {
    const scores = out['scores']!;
    const boxes = out['boxes']!;
    const found: RawDetection[] = [];
    for (let i = 0; i < scores.length / 2; i++) {
      const score = scores[i * 2 + 1]!;
      if (score < minScore) continue;
      // Boxes come out already decoded against the priors, as fractions of the input size.
      const x1 = boxes[i * 4]! * DETECT_WIDTH;
      const y1 = boxes[i * 4 + 1]! * DETECT_HEIGHT;
      const x2 = boxes[i * 4 + 2]! * DETECT_WIDTH;
      const y2 = boxes[i * 4 + 3]! * DETECT_HEIGHT;
      if (x2 - x1 < 2 || y2 - y1 < 2) continue;
      found.push({ x1, y1, x2, y2, score });
    }
    return found;
  });
}

/**
 * The detector's boxes are tight and taller than wide; the landmark and attribute models were fed
 * the square of side = box height around the box centre (lib/fr_detect.js `scaleResult`).
 */
function squareBox(raw: Box): Box {
  const side = raw.height;
  return { x: raw.x + raw.width / 2 - side / 2, y: raw.y + raw.height / 2 - side / 2, width: side, height: side };
}

/**
 * Greedy non-maximum suppression by score. Besides IoU, a box mostly inside a stronger one is
 * dropped: pyramid levels see the same face at two sizes and partial faces inside tiles.
 */
export function nms(detections: readonly Detection[], iouThreshold: number): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    if (kept.every((k) => iou(k.raw, d.raw) <= iouThreshold && overlapOfSmaller(k.raw, d.raw) <= 0.7)) kept.push(d);
  }
  return kept;
}

function intersection(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number {
  const i = intersection(a, b);
  return i === 0 ? 0 : i / (a.width * a.height + b.width * b.height - i);
}

function overlapOfSmaller(a: Box, b: Box): number {
  const i = intersection(a, b);
  return i === 0 ? 0 : i / Math.min(a.width * a.height, b.width * b.height);
}
