import type { RgbImage } from '../../image/rgb-image.js';
import type { DocumentLocation } from '../document.types.js';
import { type Homography, type Point2, type Quad, solveHomography, warpPerspective } from './perspective.js';

/** Long side of the working copy the outline is searched on. */
const WORK_SIDE = 320;

/** Area-averaged down-scale by an integer factor, grey or RGB. */
function shrink(image: RgbImage, factor: number): RgbImage {
  if (factor <= 1) return image;
  const w = Math.floor(image.width / factor);
  const h = Math.floor(image.height / factor);
  const out = new Uint8Array(w * h * 3);
  const n = factor * factor;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let j = 0; j < factor; j++) {
        let p = ((y * factor + j) * image.width + x * factor) * 3;
        for (let i = 0; i < factor; i++, p += 3) {
          r += image.data[p]!;
          g += image.data[p + 1]!;
          b += image.data[p + 2]!;
        }
      }
      const o = (y * w + x) * 3;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
    }
  }
  return { data: out, width: w, height: h };
}

/** Otsu's threshold of values in 0..255. */
function otsu(values: Float32Array): number {
  const histogram = new Float64Array(256);
  for (const v of values) histogram[Math.min(255, Math.max(0, Math.round(v)))]!++;
  const total = values.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * histogram[i]!;
  let sumB = 0;
  let weightB = 0;
  let best = 0;
  let threshold = 0;
  for (let t = 0; t < 256; t++) {
    weightB += histogram[t]!;
    if (weightB === 0) continue;
    const weightF = total - weightB;
    if (weightF === 0) break;
    sumB += t * histogram[t]!;
    const mB = sumB / weightB;
    const mF = (sum - sumB) / weightF;
    const between = weightB * weightF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/**
 * Finds the document as the largest region that differs from the background, the background
 * being what the image's border shows (a document photographed on a desk or held against a
 * wall). Its outline's four extreme points along the region's diagonals are the corners. When
 * the border is not one background (the document fills the frame, or a busy scene), the whole
 * frame is taken: the MRZ reader does not need the outline, only forensics and size do.
 */
export function locateDocument(image: RgbImage): DocumentLocation {
  const frameLocation: DocumentLocation = {
    corners: null,
    longSide: Math.max(image.width, image.height),
    shortSide: Math.min(image.width, image.height),
    method: 'frame',
  };
  const factor = Math.max(1, Math.floor(Math.max(image.width, image.height) / WORK_SIDE));
  const small = shrink(image, factor);
  const { width: w, height: h, data } = small;
  const border = Math.max(2, Math.round(Math.min(w, h) * 0.03));
  const samples: number[][] = [[], [], []];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x >= border && x < w - border && y >= border && y < h - border) continue;
      const p = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) samples[c]!.push(data[p + c]!);
    }
  }
  const median = samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)]!);
  // The border must look like one background: most of its pixels close to its median colour.
  const spread = samples[0]!.filter((_, i) => Math.abs(samples[0]![i]! - median[0]!) + Math.abs(samples[1]![i]! - median[1]!) + Math.abs(samples[2]![i]! - median[2]!) > 60).length / samples[0]!.length;
  if (spread > 0.35) return frameLocation;
  const distance = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const p = i * 3;
    distance[i] = Math.min(255, (Math.abs(data[p]! - median[0]!) + Math.abs(data[p + 1]! - median[1]!) + Math.abs(data[p + 2]! - median[2]!)) / 1.5);
  }
  const threshold = Math.max(25, otsu(distance));
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) mask[i] = distance[i]! > threshold ? 1 : 0;
  const component = largestComponent(mask, w, h);
  // Down to 1% of the frame: a document that small is still reported (and refused as too small).
  if (!component || component.area < 0.01 * w * h || component.area > 0.97 * w * h) return frameLocation;
  const hull = convexHull(component.points);
  const corners = quadFromHull(hull);
  if (!corners) return frameLocation;
  // Fill ratio: a document's region fills its quadrilateral; a blob of clutter does not.
  if (component.area < 0.8 * quadArea(corners)) return frameLocation;
  const scaled = corners.map((p) => ({ x: p.x * factor, y: p.y * factor })) as unknown as Quad;
  const ordered = orderCorners(scaled);
  const top = Math.hypot(ordered[1].x - ordered[0].x, ordered[1].y - ordered[0].y);
  const bottom = Math.hypot(ordered[2].x - ordered[3].x, ordered[2].y - ordered[3].y);
  const left = Math.hypot(ordered[3].x - ordered[0].x, ordered[3].y - ordered[0].y);
  const right = Math.hypot(ordered[2].x - ordered[1].x, ordered[2].y - ordered[1].y);
  const horizontal = (top + bottom) / 2;
  const vertical = (left + right) / 2;
  return { corners: ordered, longSide: Math.max(horizontal, vertical), shortSide: Math.min(horizontal, vertical), method: 'outline' };
}

/**
 * The document deskewed to a rectangle whose long side is `longSide` pixels (the whole image,
 * resized, when no outline was found). Landscape: a portrait-oriented outline is turned so its
 * long side runs horizontally.
 */
export function deskewDocument(image: RgbImage, location: DocumentLocation, longSide: number): RgbImage {
  const corners: Quad = location.corners ?? frameCorners(image);
  const [a, b, c, d] = corners;
  const horizontalLong = Math.hypot(b.x - a.x, b.y - a.y) >= Math.hypot(d.x - a.x, d.y - a.y);
  // Turn a portrait outline a quarter: its left edge (d→a) becomes the top.
  return warpQuad(image, horizontalLong ? corners : [d, a, b, c], longSide).image;
}

/** The image's own corners, clockwise from its top-left. */
export function frameCorners(image: RgbImage): Quad {
  return [
    { x: 0, y: 0 },
    { x: image.width - 1, y: 0 },
    { x: image.width - 1, y: image.height - 1 },
    { x: 0, y: image.height - 1 },
  ];
}

/** A quadrilateral warped to a rectangle, and the maps between the rectangle's pixels and the photo's. */
export interface WarpedQuad {
  readonly image: RgbImage;
  readonly toSource: Homography;
  readonly fromSource: Homography;
}

/**
 * Warps the quadrilateral `quad` (its corner 0 becomes the top-left) to a rectangle of the
 * quad's mean edge lengths, scaled so its long side is `longSide` pixels.
 */
export function warpQuad(image: RgbImage, quad: Quad, longSide: number): WarpedQuad {
  const [a, b, c, d] = quad;
  const horizontal = (Math.hypot(b.x - a.x, b.y - a.y) + Math.hypot(c.x - d.x, c.y - d.y)) / 2;
  const vertical = (Math.hypot(d.x - a.x, d.y - a.y) + Math.hypot(c.x - b.x, c.y - b.y)) / 2;
  const scale = longSide / Math.max(1, horizontal, vertical);
  const width = Math.max(1, Math.round(horizontal * scale));
  const height = Math.max(1, Math.round(vertical * scale));
  const target: Quad = [
    { x: 0, y: 0 },
    { x: width - 1, y: 0 },
    { x: width - 1, y: height - 1 },
    { x: 0, y: height - 1 },
  ];
  const toSource = solveHomography(target, quad);
  return { image: warpPerspective(image, toSource, width, height, { supersample: scale <= 0.5 ? 2 : 1 }), toSource, fromSource: solveHomography(quad, target) };
}

function largestComponent(mask: Uint8Array, w: number, h: number): { area: number; points: Point2[] } | undefined {
  const seen = new Uint8Array(w * h);
  let best: { area: number; points: Point2[] } | undefined;
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || seen[start]) continue;
    seen[start] = 1;
    stack.push(start);
    let area = 0;
    const edge: Point2[] = [];
    while (stack.length > 0) {
      const p = stack.pop()!;
      area++;
      const x = p % w;
      const y = (p - x) / w;
      let boundary = false;
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) {
          boundary = true;
          continue;
        }
        const q = yy * w + xx;
        if (!mask[q]) boundary = true;
        else if (!seen[q]) {
          seen[q] = 1;
          stack.push(q);
        }
      }
      if (boundary) edge.push({ x: x + 0.5, y: y + 0.5 });
    }
    if (!best || area > best.area) best = { area, points: edge };
  }
  return best;
}

function convexHull(points: readonly Point2[]): Point2[] {
  const sorted = points.slice().sort((a, b) => a.x - b.x || a.y - b.y);
  const cross = (o: Point2, a: Point2, b: Point2) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const build = (list: Point2[]) => {
    const out: Point2[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return build(sorted).concat(build(sorted.slice().reverse()));
}

/** The quadrilateral of largest area with corners on the hull (exhaustive over a thinned hull). */
function quadFromHull(hull: readonly Point2[]): Quad | undefined {
  if (hull.length < 4) return undefined;
  const step = Math.max(1, Math.ceil(hull.length / 40));
  const pts = hull.filter((_, i) => i % step === 0);
  const n = pts.length;
  if (n < 4) return undefined;
  let best: Quad | undefined;
  let bestArea = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      for (let k = j + 1; k < n; k++) {
        for (let l = k + 1; l < n; l++) {
          const quad: Quad = [pts[i]!, pts[j]!, pts[k]!, pts[l]!];
          const area = quadArea(quad);
          if (area > bestArea) {
            bestArea = area;
            best = quad;
          }
        }
      }
    }
  }
  return best;
}

function quadArea(q: Quad): number {
  let area = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    area += a.x * b.y - b.x * a.y;
  }
  return Math.abs(area) / 2;
}

/** Clockwise from the corner nearest the image's top-left. */
function orderCorners(q: Quad): Quad {
  const cx = (q[0].x + q[1].x + q[2].x + q[3].x) / 4;
  const cy = (q[0].y + q[1].y + q[2].y + q[3].y) / 4;
  const sorted = q.slice().sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
  let start = 0;
  for (let i = 1; i < 4; i++) if (sorted[i]!.x + sorted[i]!.y < sorted[start]!.x + sorted[start]!.y) start = i;
  return [0, 1, 2, 3].map((i) => sorted[(start + i) % 4]!) as unknown as Quad;
}
