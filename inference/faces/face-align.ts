import { type Affine, warpAffine } from '../image/image-sampling.js';
import type { RgbImage } from '../image/rgb-image.js';
import type { Point } from './face.types.js';

/** Side of the aligned face fed to the embedding model. */
export const ALIGNED_SIZE = 112;

/**
 * The five-point template of ArcFace / InsightFace for 112×112 crops (`arcface_dst` in
 * insightface/utils/face_align.py; also REFERENCE_FACIAL_POINTS in lib/fr_feature.js).
 */
export const ARCFACE_TEMPLATE: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

/**
 * Least-squares similarity transform (rotation, uniform scale, translation) taking `from` onto
 * `to` (Umeyama 1991, the `SimilarityTransform.estimate` InsightFace uses). A similarity, unlike
 * the reference's 3-point affine, cannot shear the face to fit noisy landmarks.
 * Returned as `[a, b, c, d, e, f]` with `to = (a·x + b·y + c, d·x + e·y + f)`.
 */
export function similarityTransform(from: readonly Point[], to: readonly Point[]): Affine {
  const n = from.length;
  let fx = 0;
  let fy = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i]!.x;
    fy += from[i]!.y;
    tx += to[i]!.x;
    ty += to[i]!.y;
  }
  fx /= n;
  fy /= n;
  tx /= n;
  ty /= n;
  // For 2-D similarities the Umeyama solution reduces to complex least squares:
  // t = s·e^{iθ}·f, with s·e^{iθ} = Σ conj(f̃)·t̃ / Σ |f̃|².
  let re = 0;
  let im = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const ax = from[i]!.x - fx;
    const ay = from[i]!.y - fy;
    const bx = to[i]!.x - tx;
    const by = to[i]!.y - ty;
    re += ax * bx + ay * by;
    im += ax * by - ay * bx;
    norm += ax * ax + ay * ay;
  }
  const a = norm > 0 ? re / norm : 1;
  const b = norm > 0 ? im / norm : 0;
  return [a, -b, tx - (a * fx - b * fy), b, a, ty - (b * fx + a * fy)];
}

/** Inverse of a similarity/affine map. */
export function invertAffine([a, b, c, d, e, f]: Affine): Affine {
  const det = a * e - b * d;
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

/** The 112×112 face, aligned on the ArcFace template by its five points. */
export function alignFace(image: RgbImage, points5: readonly Point[]): RgbImage {
  const imageToTemplate = similarityTransform(points5, ARCFACE_TEMPLATE);
  return warpAffine(image, invertAffine(imageToTemplate), ALIGNED_SIZE, ALIGNED_SIZE);
}
