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
  /**
   * Face size in pixels: the shorter side of the detector's own rectangle (its width, on upright
   * faces: the detector's boxes are about 0.6–0.8 as wide as high). `box` is the square of the
   * longer side around it, which is what the models crop.
   */
  readonly size: number;
  /**
   * True when either side of the detector's rectangle is under `max(30, minFaceSize)` px (DESIGN.md
   * §4: a face at least 30×30 px): no landmarks, embedding, liveness, age or gender then.
   */
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
 * - `thorough`: every face, small ones included: the pass of `fast` plus tiles of an image pyramid
 *   down to `minFaceSize`, whatever the first pass found. For callers that need the small face
 *   beside a large one: a selfie holding an ID card (the card's portrait), people at the back of
 *   a group. Costs 100–350 ms more on a 1600×1200 photo (docs/MODELS.md).
 * - `auto`: `fast`, and the pyramid only when the fast pass finds no face at all (so it misses a
 *   card's portrait next to the holder's face).
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
   * Smallest face, in pixels, that the pyramid search aims to find, and the size under which a
   * face is reported `tooSmall` (never below 30: DESIGN.md §4's minimum holds for every caller).
   * @default 30
   */
  minFaceSize?: number;
  /**
   * Search only this rectangle of the image, in pixels after EXIF orientation (clipped to the
   * image; nothing found when it lies outside). For a document crop: the detector then sees the
   * portrait at the scale of the region rather than of the whole photo, and faces outside it
   * are ignored. Boxes, landmarks and measurements stay in whole-image pixels, and liveness and
   * age/gender see the face's real surroundings. Combine with `search: 'thorough'` for a region
   * still much larger than the face.
   * @default the whole image
   */
  region?: Box;
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
