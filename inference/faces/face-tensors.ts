import type { RgbImage } from '../image/rgb-image.js';

/**
 * An RGB image as NCHW planes scaled (v − 127) / 128: the input scaling of both fr_detect and
 * fr_feature (lib/fr_detect.js, lib/fr_feature.js).
 */
export function centredRgbPlanes({ data, width, height }: RgbImage): Float32Array {
  const plane = width * height;
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    input[i] = (data[i * 3]! - 127) / 128;
    input[plane + i] = (data[i * 3 + 1]! - 127) / 128;
    input[2 * plane + i] = (data[i * 3 + 2]! - 127) / 128;
  }
  return input;
}
