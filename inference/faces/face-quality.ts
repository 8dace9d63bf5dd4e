import { toGrey } from '../image/image-sampling.js';
import type { RgbImage } from '../image/rgb-image.js';

/**
 * Sharpness as the variance of the 4-neighbour Laplacian (Pech-Pacheco et al., ICPR 2000) over
 * the aligned face. Measured on the fixed-size aligned crop, so faces of different sizes are
 * comparable and an up-scaled small face reads as the blur it is.
 */
export function laplacianVariance(aligned: RgbImage): number {
  const grey = toGrey(aligned);
  const { width, height } = aligned;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const v = grey[i - 1]! + grey[i + 1]! + grey[i - width]! + grey[i + width]! - 4 * grey[i]!;
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}
