/** A point in image pixels. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Axis-aligned box in image pixels (of the image after EXIF orientation). */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Output of the anti-spoofing model; docs/MODELS.md says what it can and cannot tell. */
export interface FaceLiveness {
  /** Probability that the face is a live capture rather than a print or a screen, 0..1. */
  readonly score: number;
  /** The three class probabilities as the model returns them. */
  readonly classes: readonly [number, number, number];
}

/** One detected face. */
export interface Face {
  /** Detector box (square, as the detector's post-processing makes it). */
  readonly box: Box;
  /** Detector confidence 0..1. */
  readonly score: number;
  /** Five points: left eye, right eye, nose tip, left and right mouth corner (viewer's left first). */
  readonly landmarks5: readonly Point[];
  /** The 68-point iBUG layout; empty for faces too small to measure. */
  readonly landmarks68: readonly Point[];
  /** Face size in pixels: the height of the detector's box, i.e. the side of `box`. */
  readonly size: number;
  /** True under the 30×30 px minimum (DESIGN.md §4): no embedding, liveness, age or gender then. */
  readonly tooSmall: boolean;
  /** L2-normalised embedding of {@link FACE_EMBEDDING_DIMENSIONS} floats; `null` when `tooSmall`. */
  readonly embedding: number[] | null;
  /** Variance of the Laplacian of the aligned 112×112 grey face: higher is sharper; `null` when `tooSmall`. */
  readonly sharpness: number | null;
  readonly liveness: FaceLiveness | null;
  /** Estimated age in years; `null` when `tooSmall` or attributes were not requested. */
  readonly age: number | null;
  /** Estimated gender; `null` when `tooSmall` or attributes were not requested. */
  readonly gender: { readonly value: 'female' | 'male'; readonly score: number } | null;
}

/** Milliseconds per stage, summed over faces. */
export interface FaceTimings {
  decode: number;
  detect: number;
  landmarks: number;
  embed: number;
  liveness: number;
  attributes: number;
  /** From the call to the result, including queueing in the pool. */
  total: number;
}

/** What `analyzeFaces` returns. */
export interface FaceAnalysis {
  /** Faces, largest first. */
  readonly faces: Face[];
  /** Image size after EXIF orientation. */
  readonly width: number;
  readonly height: number;
  readonly timings: FaceTimings;
}

/**
 * How hard to look for faces.
 * - `fast`: one detector pass over the whole image (faces larger than about 1/16 of the image side).
 * - `thorough`: also tiles of an image pyramid, down to `minFaceSize` (a portrait on an ID card
 *   photographed whole, people at the back of a group).
 * - `auto`: `fast`, and `thorough` only when the fast pass finds no face.
 */
export type FaceSearch = 'fast' | 'thorough' | 'auto';

/** Options of one `analyzeFaces` call. */
export interface AnalyzeFacesOptions {
  /**
   * Detection strategy.
   * @default 'auto'
   */
  search?: FaceSearch;
  /**
   * Smallest face, in pixels, that the `thorough` search aims to find.
   * @default 30
   */
  minFaceSize?: number;
  /**
   * Most faces analysed (embedding, liveness, age, gender), largest first; the rest are dropped.
   * @default 20
   */
  maxFaces?: number;
  /**
   * Detector confidence threshold.
   * @default 0.7
   */
  minScore?: number;
  /**
   * Run the age and gender models (about 2 ms a face). Without them `age` and `gender` are `null`.
   * @default true
   */
  attributes?: boolean;
}
