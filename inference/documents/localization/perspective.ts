import type { RgbImage } from '../../image/rgb-image.js';

/** A point in pixel coordinates. */
export interface Point2 {
  readonly x: number;
  readonly y: number;
}

/** Four corners, clockwise from the top-left one. */
export type Quad = readonly [Point2, Point2, Point2, Point2];

/** A 3×3 projective map, row-major, `h[8]` normalised to 1. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

/**
 * The homography mapping each `from[i]` onto `to[i]` (direct linear transform with h33 = 1,
 * solved by Gaussian elimination with partial pivoting). Throws when the corners are degenerate
 * (three of them collinear).
 */
export function solveHomography(from: Quad, to: Quad): Homography {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let row = col + 1; row < 8; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    if (Math.abs(a[pivot]![col]!) < 1e-12) throw new RangeError('degenerate quadrilateral');
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = 0; row < 8; row++) {
      if (row === col) continue;
      const factor = a[row]![col]! / a[col]![col]!;
      if (factor === 0) continue;
      for (let k = col; k < 9; k++) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  const h = a.map((row, i) => row[8]! / row[i]!);
  return [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
}

/** Applies `h` to a point. */
export function applyHomography(h: Homography, p: Point2): Point2 {
  const w = h[6] * p.x + h[7] * p.y + h[8];
  return { x: (h[0] * p.x + h[1] * p.y + h[2]) / w, y: (h[3] * p.x + h[4] * p.y + h[5]) / w };
}

/** Whether `p` lies inside the convex quadrilateral `q` (either winding; on an edge counts as inside). */
export function insideQuad(q: Quad, p: Point2): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    const cross = Math.sign((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x));
    if (cross === 0) continue;
    if (sign === 0) sign = cross;
    else if (cross !== sign) return false;
  }
  return true;
}

/** Options of {@link warpPerspective}. */
export interface WarpOptions {
  /**
   * Drawn where the map falls outside the source; `undefined` leaves the destination's pixel
   * (or black) untouched.
   * @default black
   */
  readonly outside?: RgbImage;
  /**
   * Samples per axis per destination pixel. 2 or more averages sub-pixel samples, which matters
   * when the map shrinks the source (bilinear taps alone alias, e.g. on fine print).
   * @default 1
   */
  readonly supersample?: number;
}

/**
 * Resamples `src` through the destination→source homography `dstToSrc` into `width`×`height`
 * RGB, bilinear. Used both to deskew a found document to its rectangle and (in the test-data
 * generator) to lay a document on a background in perspective.
 */
export function warpPerspective(src: RgbImage, dstToSrc: Homography, width: number, height: number, options: WarpOptions = {}): RgbImage {
  const out = options.outside ? new Uint8Array(options.outside.data) : new Uint8Array(width * height * 3);
  const k = Math.max(1, Math.round(options.supersample ?? 1));
  const [a, b, c, d, e, f, g, hh, i] = dstToSrc;
  const { data, width: sw, height: sh } = src;
  const acc = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let n = 0;
      acc[0] = 0;
      acc[1] = 0;
      acc[2] = 0;
      for (let j = 0; j < k; j++) {
        const oy = k === 1 ? y : y + (j + 0.5) / k - 0.5;
        for (let q = 0; q < k; q++) {
          const ox = k === 1 ? x : x + (q + 0.5) / k - 0.5;
          const w = g * ox + hh * oy + i;
          const sx = (a * ox + b * oy + c) / w;
          const sy = (d * ox + e * oy + f) / w;
          if (sx < 0 || sy < 0 || sx > sw - 1 || sy > sh - 1) continue;
          const x0 = Math.min(Math.floor(sx), sw - 2);
          const y0 = Math.min(Math.floor(sy), sh - 2);
          const fx = sx - x0;
          const fy = sy - y0;
          const p = (y0 * sw + x0) * 3;
          const r = p + sw * 3;
          for (let ch = 0; ch < 3; ch++) {
            const top = data[p + ch]! + (data[p + 3 + ch]! - data[p + ch]!) * fx;
            const bottom = data[r + ch]! + (data[r + 3 + ch]! - data[r + ch]!) * fx;
            acc[ch]! += top + (bottom - top) * fy;
          }
          n++;
        }
      }
      if (n === 0) continue;
      const o = (y * width + x) * 3;
      if (n === k * k || !options.outside) {
        out[o] = Math.round(acc[0]! / n);
        out[o + 1] = Math.round(acc[1]! / n);
        out[o + 2] = Math.round(acc[2]! / n);
      } else {
        // Edge pixel partly on the source: blend with what was there, a cheap anti-aliased edge.
        const wgt = n / (k * k);
        for (let ch = 0; ch < 3; ch++) out[o + ch] = Math.round((acc[ch]! / n) * wgt + out[o + ch]! * (1 - wgt));
      }
    }
  }
  return { data: out, width, height };
}
