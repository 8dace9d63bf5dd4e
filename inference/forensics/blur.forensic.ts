import type { RgbImage } from '../image/rgb-image.js';
import { luma, ramp } from './grey.js';

/** Result of {@link measureBlur}. */
export interface BlurMeasure {
  /**
   * Steepness of the document's sharpest edges: their gradient as a share of the document's
   * contrast, in percent per pixel of the 640 px deskewed document (higher is sharper; 100 / this
   * is the edge width in pixels).
   */
  readonly sharpness: number;
  /** 0 (sharp) … 1 (too blurry to read), see the calibration below. */
  readonly score: number;
}

// Calibrated on generated documents photographed at 1280 × 960 (document 60–84% of the width),
// clean and through a phone camera (sensor noise σ 3 and 8 grey levels, sharpening, JPEG 80:
// testing/phone-camera.ts), deskewed to 640 px. Sharpness of sharp photos 24–36; Gaussian blur
// σ 1 (px of the photo) 20–35, σ 1.5 (soft, MRZ read on all) 17–31, σ 2 (MRZ still read on most)
// 15–27, σ 2.5 (MRZ lost on half) 13–22, σ 3 (MRZ lost on most) 12–18, σ 4 9–14; noise moves it by
// 1–4 only. Smaller documents in the photo score lower at the same σ (their text is smaller).
// A soft but readable photo must not be sent back: the warning (score ≥ 0.5) is raised under 16.
const SHARP = 18;
const BLURRY = 14;
/** Share of the document's pixels on its steepest edges: text strokes cover more than this on any document with an MRZ. */
const EDGE_SHARE = 0.005;

/**
 * Sharpness of a deskewed document from the width of its steepest edges (after Marziliano et al.,
 * 2002): defocus and motion blur widen every edge, text edges are the steepest on a document, and
 * for a step of contrast C blurred to width w the steepest gradient is C / w. The gradient is taken
 * after a light binomial smoothing and as a high percentile, so sensor noise (a few grey levels per
 * pixel) does not pass for sharpness, as it does for the variance of the Laplacian.
 */
export function measureBlur(document: RgbImage): BlurMeasure {
  const { width: w, height: h } = document;
  if (w < 8 || h < 8) return { sharpness: 0, score: 1 };
  const smooth = binomialSmooth(luma(document), w, h);
  const levels = new Uint32Array(256);
  for (const v of smooth) levels[Math.max(0, Math.min(255, Math.round(v)))]!++;
  const contrast = percentile(levels, smooth.length, 0.99) - percentile(levels, smooth.length, 0.01);
  // Gradient magnitudes in tenths of a grey level per pixel.
  const gradients = new Uint32Array(2560);
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const g = Math.hypot(smooth[i + 1]! - smooth[i - 1]!, smooth[i + w]! - smooth[i - w]!) / 2;
      gradients[Math.min(2559, Math.round(g * 10))]!++;
      n++;
    }
  }
  const steepest = percentile(gradients, n, 1 - EDGE_SHARE) / 10;
  if (contrast <= 0 || steepest <= 0) return { sharpness: 0, score: 1 };
  const sharpness = (100 * steepest) / contrast;
  return { sharpness: Math.round(sharpness * 100) / 100, score: 1 - ramp(sharpness, BLURRY, SHARP) };
}

/** The value at `share` of a histogram of `total` samples. */
function percentile(histogram: Uint32Array, total: number, share: number): number {
  let seen = 0;
  for (let v = 0; v < histogram.length; v++) {
    seen += histogram[v]!;
    if (seen >= total * share) return v;
  }
  return histogram.length - 1;
}

/** Separable [1 4 6 4 1] / 16 smoothing (a Gaussian of σ 1), edges clamped. */
function binomialSmooth(grey: Float32Array, w: number, h: number): Float32Array {
  const k = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];
  const pass = (src: Float32Array, dx: number, dy: number) => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let t = -2; t <= 2; t++) {
          const xx = Math.max(0, Math.min(w - 1, x + t * dx));
          const yy = Math.max(0, Math.min(h - 1, y + t * dy));
          s += k[t + 2]! * src[yy * w + xx]!;
        }
        out[y * w + x] = s;
      }
    }
    return out;
  };
  return pass(pass(grey, 1, 0), 0, 1);
}
