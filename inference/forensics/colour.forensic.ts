import type { RgbImage } from '../image/rgb-image.js';
import { ramp } from './grey.js';

/** Result of {@link measureColour}. */
export interface ColourMeasure {
  /** 95th percentile of per-pixel chroma (max − min of R, G, B), 0..255. */
  readonly chroma: number;
  /** 0 (colour) … 1 (black and white). */
  readonly score: number;
}

// A colour photo of a real document has colour somewhere (portrait skin, security print, the
// photo's own white balance): its 95th-percentile chroma is 20+ on generated and phone images.
// A greyscale file or a black-and-white photocopy photographed in even light stays under 8
// (JPEG chroma noise included).
const GREY = 8;
const COLOUR = 18;

/** How colourless the document is: the black-and-white photocopy check (reference 000, "black and white image"). */
export function measureColour(document: RgbImage): ColourMeasure {
  const histogram = new Uint32Array(256);
  const { data } = document;
  const n = document.width * document.height;
  for (let p = 0; p < n * 3; p += 3) {
    const r = data[p]!;
    const g = data[p + 1]!;
    const b = data[p + 2]!;
    histogram[Math.max(r, g, b) - Math.min(r, g, b)]!++;
  }
  let seen = 0;
  let chroma = 0;
  for (let c = 0; c < 256; c++) {
    seen += histogram[c]!;
    if (seen >= n * 0.95) {
      chroma = c;
      break;
    }
  }
  return { chroma, score: 1 - ramp(chroma, GREY, COLOUR) };
}
