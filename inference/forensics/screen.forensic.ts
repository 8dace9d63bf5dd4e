import type { RgbImage } from '../image/rgb-image.js';
import { magnitude2d } from './fft.js';
import { ramp } from './grey.js';

/** Result of {@link measureScreen}. */
export interface ScreenMeasure {
  /** Strongest isolated spectral peak over the median of its frequency ring (log10), median over the windows. */
  readonly peakRatio: number;
  /** Windows that fitted in the image and were analysed. */
  readonly windows: number;
  /**
   * How much weaker (log10) the strongest peak's partner turned by 90° is, median over the windows:
   * near 0 for a square lattice of print dots, more for a display's grid (see {@link SQUARE_LATTICE}).
   */
  readonly asymmetry: number;
  /** The pattern is a square dot lattice, as an AM halftone print makes: a printed copy rather than a screen. */
  readonly halftone: boolean;
  /** 0 … 1. */
  readonly score: number;
}

/** Side of the square windows the screen check analyses, pixels at native resolution. */
export const SCREEN_WINDOW = 256;
const N = SCREEN_WINDOW;
// log10 peak-to-ring ratios (median over the three windows) measured on generated photos: paper
// documents (text, guilloche, portrait, JPEG 70–95, turned up to 8°) stay at 0.8–1.1; a document
// on a rendered LCD photographed at about 2–3 camera pixels per screen pixel measures 2.5–3.0 when
// the screen is turned a few degrees and 1.6–1.7 when its grid is aligned with the camera's (its
// strongest peaks then sit on the axes, which are ignored). A single window is not enough: the
// straight edge of a turned portrait puts a ridge through its spectrum (up to 1.6 there).
// Real screens and cameras differ; docs/DOCUMENTS.md says so.
const PAPER = 1.25;
const SCREEN = 1.55;

/**
 * Largest asymmetry (log10) of a square lattice. An AM halftone (office colour lasers: round or
 * square dots on square screens at 15°, 45°, 75°, 0°) has the same dot pitch both ways, so the
 * strongest peak and its partner turned by 90° are equally strong, aliasing by the camera's square
 * pixel grid included (it commutes with the quarter turn). A display's pixel is not symmetric
 * (R, G, B stripes one way, the black matrix the other). Measured on generated photos: halftoned
 * prints at 100–200 lpi 0.00–0.03; LCD screens turned 0–9° 0.13–0.27.
 */
export const SQUARE_LATTICE = 0.07;

/**
 * Looks for a screen's pixel grid: a photo of a display carries a strong periodic component at
 * the grid's frequency or its alias (moiré), which shows as an isolated peak in the 2-D spectrum
 * far from the centre. Windows of 256×256 pixels at native resolution (resampling would remove
 * the grid) inside the document are analysed; axis lines and 8-pixel JPEG block harmonics are
 * ignored.
 */
export function measureScreen(image: RgbImage, centres: ReadonlyArray<{ x: number; y: number }>): ScreenMeasure {
  const peaks: SpectralPeak[] = [];
  for (const centre of centres) {
    const x0 = Math.round(centre.x - N / 2);
    const y0 = Math.round(centre.y - N / 2);
    if (x0 < 0 || y0 < 0 || x0 + N > image.width || y0 + N > image.height) continue;
    peaks.push(strongestPeak(image, x0, y0));
  }
  if (peaks.length === 0) return { peakRatio: 0, windows: 0, asymmetry: 0, halftone: false, score: 0 };
  // A screen's grid covers the whole document; one periodic spot (a portrait's background) does not.
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  const ratio = median(peaks.map((p) => p.ratio));
  const asymmetry = median(peaks.map((p) => p.ratio - p.turnedRatio));
  return { peakRatio: ratio, windows: peaks.length, asymmetry, halftone: asymmetry <= SQUARE_LATTICE, score: ramp(ratio, PAPER, SCREEN) };
}

/** The strongest isolated peak of a window (log10 over its ring's median), and the same for its partner turned by 90°. */
interface SpectralPeak {
  readonly ratio: number;
  readonly turnedRatio: number;
}

function strongestPeak(image: RgbImage, x0: number, y0: number): SpectralPeak {
  const block = new Float64Array(N * N);
  let mean = 0;
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const p = ((y0 + y) * image.width + x0 + x) * 3;
      const v = 0.299 * image.data[p]! + 0.587 * image.data[p + 1]! + 0.114 * image.data[p + 2]!;
      block[y * N + x] = v;
      mean += v;
    }
  }
  mean /= N * N;
  // Hann window: the block's edges would otherwise add a cross of leakage through the spectrum.
  for (let y = 0; y < N; y++) {
    const wy = 0.5 - 0.5 * Math.cos((2 * Math.PI * y) / (N - 1));
    for (let x = 0; x < N; x++) block[y * N + x] = (block[y * N + x]! - mean) * wy * (0.5 - 0.5 * Math.cos((2 * Math.PI * x) / (N - 1)));
  }
  const spectrum = magnitude2d(block, N);
  const rings: number[][] = Array.from({ length: N / 2 + 1 }, () => []);
  const cells: Array<[r: number, value: number, fx: number, fy: number]> = [];
  for (let v = 0; v < N; v++) {
    const fy = v <= N / 2 ? v : v - N;
    // Half plane: the spectrum of a real image is symmetric.
    if (fy < 0) continue;
    for (let u = 0; u < N; u++) {
      const fx = u <= N / 2 ? u : u - N;
      const r = Math.round(Math.hypot(fx, fy));
      if (r < 24 || r > N / 2) continue;
      if (Math.abs(fx) <= 3 || Math.abs(fy) <= 3) continue;
      // JPEG's 8×8 blocks put harmonics at multiples of N/8 on each axis.
      if (Math.abs(fx) % 32 <= 1 || Math.abs(fx) % 32 >= 31 || Math.abs(fy) % 32 <= 1 || Math.abs(fy) % 32 >= 31) continue;
      rings[r]!.push(spectrum[v * N + u]!);
      cells.push([r, spectrum[v * N + u]!, fx, fy]);
    }
  }
  const medians = rings.map((ring) => {
    if (ring.length === 0) return Infinity;
    const sorted = ring.slice().sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  });
  let best = { ratio: 0, fx: 0, fy: 0 };
  for (const [r, value, fx, fy] of cells) {
    const ratio = value / (medians[r]! + 1e-9);
    if (ratio > best.ratio) best = { ratio, fx, fy };
  }
  // The partner turned by 90°, (−fy, fx), searched ±2 bins (perspective shears the lattice a little).
  let turned = 0;
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++) {
      let fx = -best.fy + dx;
      let fy = best.fx + dy;
      if (fy < 0) (fx = -fx), (fy = -fy);
      const r = Math.round(Math.hypot(fx, fy));
      if (r > N / 2 || !Number.isFinite(medians[r] ?? Infinity)) continue;
      turned = Math.max(turned, spectrum[((fy + N) % N) * N + ((fx + N) % N)]! / (medians[r]! + 1e-9));
    }
  }
  return { ratio: Math.log10(best.ratio), turnedRatio: Math.log10(Math.max(turned, 1e-9)) };
}
