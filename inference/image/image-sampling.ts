import type { RgbImage } from './rgb-image.js';

/**
 * A 2×3 affine map from destination pixel (x, y) to source pixel coordinates:
 * `sx = a·x + b·y + c`, `sy = d·x + e·y + f`. Pixel centres sit on integer coordinates,
 * the convention of OpenCV's `warpAffine`, in which the ArcFace alignment template is defined.
 */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

/**
 * Resamples `src` through `dstToSrc` into a `width`×`height` RGB image, bilinear. Plain bilinear
 * down-scaling aliases (the face models then see noise), so when the map shrinks by 2× or more
 * the covered region is first box-averaged by the integer factor, and a remaining shrink over
 * 1.25× is handled by 2×2 supersampling. Outside the source is black, like `cv.warpAffine`.
 */
export function warpAffine(src: RgbImage, dstToSrc: Affine, width: number, height: number): RgbImage {
  const [a, b, c, d, e, f] = dstToSrc;
  const scale = Math.sqrt(Math.abs(a * e - b * d));
  if (scale >= 2) {
    const factor = Math.floor(scale);
    // Source region the destination covers (+ one pixel of margin for the bilinear taps).
    const xs = [c, a * (width - 1) + c, b * (height - 1) + c, a * (width - 1) + b * (height - 1) + c];
    const ys = [f, d * (width - 1) + f, e * (height - 1) + f, d * (width - 1) + e * (height - 1) + f];
    const x0 = Math.max(0, Math.floor(Math.min(...xs)) - factor);
    const y0 = Math.max(0, Math.floor(Math.min(...ys)) - factor);
    const x1 = Math.min(src.width, Math.ceil(Math.max(...xs)) + 2 * factor);
    const y1 = Math.min(src.height, Math.ceil(Math.max(...ys)) + 2 * factor);
    if (x1 - x0 >= factor && y1 - y0 >= factor) {
      const small = boxShrink(src, x0, y0, x1 - x0, y1 - y0, factor);
      // Pixel centre u of the shrunk image sits at source x0 + f·u + (f − 1)/2.
      const h = (factor - 1) / 2;
      return bilinear(
        small,
        [a / factor, b / factor, (c - x0 - h) / factor, d / factor, e / factor, (f - y0 - h) / factor],
        width,
        height,
        scale / factor > 1.25 ? 2 : 1,
      );
    }
  }
  return bilinear(src, dstToSrc, width, height, scale > 1.25 ? 2 : 1);
}

/** Averages `factor`×`factor` blocks of the region (x0, y0, w, h) of `src`. */
function boxShrink(src: RgbImage, x0: number, y0: number, w: number, h: number, factor: number): RgbImage {
  const ow = Math.floor(w / factor);
  const oh = Math.floor(h / factor);
  const out = new Uint8Array(ow * oh * 3);
  const span = ow * factor * 3;
  // Rows are first summed vertically into one accumulator row (a tight loop over contiguous
  // bytes), then each block is summed horizontally: twice as fast as block-by-block.
  const rows = new Uint32Array(span);
  const { data, width } = src;
  const inv = 1 / (factor * factor);
  for (let oy = 0; oy < oh; oy++) {
    rows.fill(0);
    for (let j = 0; j < factor; j++) {
      const base = ((y0 + oy * factor + j) * width + x0) * 3;
      for (let k = 0; k < span; k++) rows[k]! += data[base + k]!;
    }
    let o = oy * ow * 3;
    for (let ox = 0; ox < ow; ox++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let i = 0, q = ox * factor * 3; i < factor; i++, q += 3) {
        r += rows[q]!;
        g += rows[q + 1]!;
        b += rows[q + 2]!;
      }
      out[o++] = Math.round(r * inv);
      out[o++] = Math.round(g * inv);
      out[o++] = Math.round(b * inv);
    }
  }
  return { data: out, width: ow, height: oh };
}

function bilinear(src: RgbImage, m: Affine, width: number, height: number, k: number): RgbImage {
  const [a, b, c, d, e, f] = m;
  const out = new Uint8Array(width * height * 3);
  const { data, width: sw, height: sh } = src;
  const inv = 1 / (k * k);
  const rgb = [0, 0, 0];
  let o = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let bl = 0;
      for (let j = 0; j < k; j++) {
        const oy = k === 1 ? y : y + (j + 0.5) / k - 0.5;
        for (let i = 0; i < k; i++) {
          const ox = k === 1 ? x : x + (i + 0.5) / k - 0.5;
          const sx = a * ox + b * oy + c;
          const sy = d * ox + e * oy + f;
          const x0 = Math.floor(sx);
          const y0 = Math.floor(sy);
          const fx = sx - x0;
          const fy = sy - y0;
          const w00 = (1 - fx) * (1 - fy);
          const w10 = fx * (1 - fy);
          const w01 = (1 - fx) * fy;
          const w11 = fx * fy;
          if (x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh) {
            const p = (y0 * sw + x0) * 3;
            const q = p + sw * 3;
            r += data[p]! * w00 + data[p + 3]! * w10 + data[q]! * w01 + data[q + 3]! * w11;
            g += data[p + 1]! * w00 + data[p + 4]! * w10 + data[q + 1]! * w01 + data[q + 4]! * w11;
            bl += data[p + 2]! * w00 + data[p + 5]! * w10 + data[q + 2]! * w01 + data[q + 5]! * w11;
          } else {
            // Border: taps outside the image count as black.
            tap(data, sw, sh, x0, y0, w00, rgb);
            tap(data, sw, sh, x0 + 1, y0, w10, rgb);
            tap(data, sw, sh, x0, y0 + 1, w01, rgb);
            tap(data, sw, sh, x0 + 1, y0 + 1, w11, rgb);
            r += rgb[0]!;
            g += rgb[1]!;
            bl += rgb[2]!;
            rgb[0] = 0;
            rgb[1] = 0;
            rgb[2] = 0;
          }
        }
      }
      out[o++] = Math.round(r * inv);
      out[o++] = Math.round(g * inv);
      out[o++] = Math.round(bl * inv);
    }
  }
  return { data: out, width, height };
}

function tap(data: Uint8Array, width: number, height: number, x: number, y: number, w: number, acc: number[]): void {
  if (x < 0 || y < 0 || x >= width || y >= height) return;
  const p = (y * width + x) * 3;
  acc[0]! += data[p]! * w;
  acc[1]! += data[p + 1]! * w;
  acc[2]! += data[p + 2]! * w;
}

/** Axis-aligned rectangle in pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Resamples the rectangle `rect` of `src` to `width`×`height` (a stretch when aspect ratios differ). */
export function cropResize(src: RgbImage, rect: Rect, width: number, height: number): RgbImage {
  const sx = rect.width / width;
  const sy = rect.height / height;
  // Centre-to-centre mapping: destination pixel x covers source [rect.x + x·sx, rect.x + (x+1)·sx).
  return warpAffine(src, [sx, 0, rect.x + sx / 2 - 0.5, 0, sy, rect.y + sy / 2 - 0.5], width, height);
}

/** Copies a window of `src` without resampling; parts outside the source are black. */
export function cropExact(src: RgbImage, x0: number, y0: number, width: number, height: number): RgbImage {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = y0 + y;
    if (sy < 0 || sy >= src.height) continue;
    const from = Math.max(0, x0);
    const to = Math.min(src.width, x0 + width);
    if (to <= from) continue;
    out.set(src.data.subarray((sy * src.width + from) * 3, (sy * src.width + to) * 3), (y * width + (from - x0)) * 3);
  }
  return { data: out, width, height };
}

/** ITU-R BT.601 luma, the weights OpenCV's `COLOR_RGB2GRAY` uses. */
export function toGrey(src: RgbImage): Float32Array {
  const n = src.width * src.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.299 * src.data[i * 3]! + 0.587 * src.data[i * 3 + 1]! + 0.114 * src.data[i * 3 + 2]!;
  return out;
}
