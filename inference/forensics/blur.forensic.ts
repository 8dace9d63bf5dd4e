import type { RgbImage } from '../image/rgb-image.js';
import { luma, ramp } from './grey.js';

/** Result of {@link measureBlur}. */
export interface BlurMeasure {
  /** Variance of the 4-neighbour Laplacian, grey levels². */
  readonly sharpness: number;
  /** 0 (sharp) … 1 (too blurry to read), see the calibration below. */
  readonly score: number;
}

// Calibrated on the generated documents deskewed to 640 px: sharp photos measure 600–2000,
// Gaussian blur σ 1 about 700–800, σ 2 (MRZ still read, letters soft) 110–190, σ 3 (OCR starts
// to fail) 20–45. Content matters (a blank card looks "blurry"), which docs/DOCUMENTS.md states.
const SHARP = 250;
const BLURRY = 80;

/**
 * Sharpness of a deskewed document as the variance of its Laplacian (Pech-Pacheco et al., 2000):
 * defocus and motion blur remove the high frequencies the Laplacian responds to.
 */
export function measureBlur(document: RgbImage): BlurMeasure {
  const { width: w, height: h } = document;
  const grey = luma(document);
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const v = grey[i - 1]! + grey[i + 1]! + grey[i - w]! + grey[i + w]! - 4 * grey[i]!;
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  const sharpness = n > 0 ? sumSq / n - (sum / n) ** 2 : 0;
  return { sharpness, score: 1 - ramp(sharpness, BLURRY, SHARP) };
}
