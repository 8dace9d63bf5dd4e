import { InferenceError } from '../inference.errors.js';
import { FACE_EMBEDDING_DIMENSIONS } from './face.constants.js';

/**
 * Cosine similarity at and above which two faces are called the same person. Calibrated in
 * docs/MODELS.md ("Threshold"): on the data available here every different-person pair scored
 * ≤ 0.42 and every same-person pair ≥ 0.61; 0.45 sits just above the impostors, with the
 * model family's usual operating point (0.3–0.5 for ArcFace-style 512-d embeddings) in mind.
 */
export const FACE_MATCH_THRESHOLD = 0.45;

/** Result of comparing two faces. */
export interface FaceComparison {
  /** Cosine similarity of the two L2-normalised embeddings, −1..1. */
  readonly similarity: number;
  /** `similarity ≥ threshold`. */
  readonly match: boolean;
  readonly threshold: number;
}

/**
 * Plain cosine of two L2-normalised embeddings. (The reference `matchFeature` first subtracts the
 * pair's mean, which makes every pair of two vectors exactly opposite: it always returns −1.)
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  checkEmbedding(a);
  checkEmbedding(b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  // Re-normalised here too: embeddings read back from storage may have lost precision.
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Compares two embeddings against `threshold`. */
export function compareEmbeddings(a: readonly number[], b: readonly number[], threshold = FACE_MATCH_THRESHOLD): FaceComparison {
  const similarity = cosineSimilarity(a, b);
  return { similarity, match: similarity >= threshold, threshold };
}

function checkEmbedding(v: readonly number[]): void {
  if (!Array.isArray(v) || v.length !== FACE_EMBEDDING_DIMENSIONS || !v.every(Number.isFinite)) {
    throw new InferenceError('BAD_EMBEDDING', `an embedding must be ${FACE_EMBEDDING_DIMENSIONS} finite numbers`, {
      length: Array.isArray(v) ? v.length : undefined,
    });
  }
}

/**
 * The face a comparison is about when an image holds several: the largest visible area weighted
 * by detector score. Visible, because a neighbour cut by the frame edge gets a box reaching
 * outside the image as large as the subject's (seen on rotated crops of the group photos).
 */
export function primaryFace<T extends { box: { x: number; y: number; width: number; height: number }; score: number }>(
  faces: readonly T[],
  width: number,
  height: number,
): T | undefined {
  let best: T | undefined;
  let bestWeight = -1;
  for (const face of faces) {
    const w = Math.min(width, face.box.x + face.box.width) - Math.max(0, face.box.x);
    const h = Math.min(height, face.box.y + face.box.height) - Math.max(0, face.box.y);
    const weight = Math.max(0, w) * Math.max(0, h) * face.score;
    if (weight > bestWeight) {
      best = face;
      bestWeight = weight;
    }
  }
  return best;
}
