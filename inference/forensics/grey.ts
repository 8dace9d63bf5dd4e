import type { RgbImage } from '../image/rgb-image.js';

/** ITU-R BT.601 luma of each pixel, 0..255. */
export function luma(image: RgbImage): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n);
  const d = image.data;
  for (let i = 0, p = 0; i < n; i++, p += 3) out[i] = 0.299 * d[p]! + 0.587 * d[p + 1]! + 0.114 * d[p + 2]!;
  return out;
}

/** Maps `value` linearly from [`low`, `high`] onto [0, 1], clamped. */
export function ramp(value: number, low: number, high: number): number {
  if (high === low) return value >= high ? 1 : 0;
  return Math.max(0, Math.min(1, (value - low) / (high - low)));
}
