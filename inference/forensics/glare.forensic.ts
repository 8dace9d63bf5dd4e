import type { RgbImage } from '../image/rgb-image.js';
import { ramp } from './grey.js';

/** Result of {@link measureGlare}. */
export interface GlareMeasure {
  /** Share of the document covered by the largest specular highlight. */
  readonly area: number;
  /** 0 … 1. */
  readonly score: number;
}

// A specular highlight clips the sensor: every channel near 255 and no colour. The document's own
// white paper is rarely clipped in a correctly exposed photo; a highlight of 1.5% of the card hides
// a field's worth of text (calibrated on generated glare of radius 8–15% of the photo's width).
const CLIPPED = 250;
const MAX_CHROMA = 14;
const SMALL = 0.004;
const LARGE = 0.015;

/** Largest blob of clipped, colourless pixels on the deskewed document. */
export function measureGlare(document: RgbImage): GlareMeasure {
  const { width: w, height: h, data } = document;
  const mask = new Uint8Array(w * h);
  for (let i = 0, p = 0; i < w * h; i++, p += 3) {
    const r = data[p]!;
    const g = data[p + 1]!;
    const b = data[p + 2]!;
    const min = Math.min(r, g, b);
    if (min >= CLIPPED && Math.max(r, g, b) - min <= MAX_CHROMA) mask[i] = 1;
  }
  let largest = 0;
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (mask[start] !== 1) continue;
    mask[start] = 2;
    stack.push(start);
    let area = 0;
    while (stack.length > 0) {
      const p = stack.pop()!;
      area++;
      const x = p % w;
      if (x > 0 && mask[p - 1] === 1) (mask[p - 1] = 2), stack.push(p - 1);
      if (x < w - 1 && mask[p + 1] === 1) (mask[p + 1] = 2), stack.push(p + 1);
      if (p >= w && mask[p - w] === 1) (mask[p - w] = 2), stack.push(p - w);
      if (p + w < w * h && mask[p + w] === 1) (mask[p + w] = 2), stack.push(p + w);
    }
    if (area > largest) largest = area;
  }
  const area = largest / (w * h);
  return { area, score: ramp(area, SMALL, LARGE) };
}
