import { resizeRgb } from '../../image/image-resize.js';
import type { RgbImage } from '../../image/rgb-image.js';
import { type LoadedModel, runModel } from '../../runtime/onnx-runtime.js';
import type { Point2, Quad } from '../localization/perspective.js';

/** A text region as a rotated rectangle in source-image pixels. */
export interface TextBox {
  readonly center: Point2;
  /** Length along the text direction (the longer side). */
  readonly width: number;
  /** Across the text direction. */
  readonly height: number;
  /** Direction of the text baseline, radians, in (−π/2, π/2]: reading direction is ambiguous by π. */
  readonly angle: number;
  /** Corners clockwise from the top-left one of the box's own frame. */
  readonly corners: Quad;
  /** Mean text probability inside the region, 0..1. */
  readonly score: number;
}

/** Options of {@link detectText}. */
export interface DetectTextOptions {
  /**
   * Long side of the detector input; the image is scaled down (never up) to it, sides rounded to
   * multiples of 32 (the DB network's stride). Costs grow with its square.
   * @default 960
   */
  readonly maxSide?: number;
  /**
   * Probability above which a pixel counts as text (PaddleOCR `det_db_thresh`).
   * @default 0.3
   */
  readonly threshold?: number;
  /**
   * Mean probability a region needs to be kept (PaddleOCR `det_db_box_thresh`).
   * @default 0.6
   */
  readonly boxThreshold?: number;
  /**
   * How far a region's box is grown, as area × ratio / perimeter (PaddleOCR `det_db_unclip_ratio`):
   * the network is trained on shrunk text kernels.
   * @default 1.5
   */
  readonly unclipRatio?: number;
}

// PP-OCRv4 detection preprocessing (PaddleOCR NormalizeImage): ImageNet mean/std on BGR channel order,
// because PaddleOCR reads images with OpenCV.
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/**
 * PP-OCRv4 text detection (a DB network): probability map → threshold → connected regions →
 * minimum-area rotated rectangles, grown by the unclip ratio, in source-image coordinates.
 */
export async function detectText(model: LoadedModel, image: RgbImage, options: DetectTextOptions = {}): Promise<TextBox[]> {
  const maxSide = options.maxSide ?? 960;
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const w = Math.max(32, Math.round((image.width * scale) / 32) * 32);
  const h = Math.max(32, Math.round((image.height * scale) / 32) * 32);
  const resized = await resizeRgb(image, w, h);
  const plane = w * h;
  const input = new Float32Array(3 * plane);
  const { data } = resized;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      // Channel c of the tensor is BGR channel c, i.e. RGB channel 2 − c.
      input[c * plane + i] = (data[i * 3 + 2 - c]! / 255 - MEAN[c]!) / STD[c]!;
    }
  }
  const outputs = await runModel(model, input, [1, 3, h, w]);
  const probability = Object.values(outputs)[0]!;
  return boxesFromProbability(probability, w, h, image.width / w, image.height / h, options);
}

/** Post-processing of a DB probability map (exported for tests). */
export function boxesFromProbability(
  probability: Float32Array,
  width: number,
  height: number,
  scaleX: number,
  scaleY: number,
  options: DetectTextOptions = {},
): TextBox[] {
  const threshold = options.threshold ?? 0.3;
  const boxThreshold = options.boxThreshold ?? 0.6;
  const unclipRatio = options.unclipRatio ?? 1.5;
  const labels = new Int32Array(width * height);
  const boxes: TextBox[] = [];
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < labels.length; start++) {
    if (labels[start] !== 0 || probability[start]! <= threshold) continue;
    next++;
    labels[start] = next;
    stack.push(start);
    const xs: number[] = [];
    const ys: number[] = [];
    let sum = 0;
    while (stack.length > 0) {
      const p = stack.pop()!;
      const x = p % width;
      const y = (p - x) / width;
      xs.push(x);
      ys.push(y);
      sum += probability[p]!;
      // 8-connectivity: diagonal strokes of small text stay in one region.
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const q = yy * width + xx;
          if (labels[q] === 0 && probability[q]! > threshold) {
            labels[q] = next;
            stack.push(q);
          }
        }
      }
    }
    if (xs.length < 6) continue;
    const score = sum / xs.length;
    if (score < boxThreshold) continue;
    const rect = minAreaRect(xs, ys);
    if (Math.min(rect.width, rect.height) < 2) continue;
    const grow = (rect.width * rect.height * unclipRatio) / (2 * (rect.width + rect.height));
    boxes.push(toSource(rect, grow, scaleX, scaleY, score));
  }
  return boxes;
}

interface Rect {
  cx: number;
  cy: number;
  width: number;
  height: number;
  angle: number;
}

/** Minimum-area rectangle around pixel squares (rotating calipers over the convex hull's edges). */
function minAreaRect(xs: readonly number[], ys: readonly number[]): Rect {
  // Pixel (x, y) covers [x, x+1) × [y, y+1): use its four corners so thin regions keep their width.
  const points: Array<[number, number]> = [];
  const rowMin = new Map<number, number>();
  const rowMax = new Map<number, number>();
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i]!;
    const x = xs[i]!;
    if (!(rowMin.get(y)! <= x)) rowMin.set(y, x);
    if (!(rowMax.get(y)! >= x)) rowMax.set(y, x);
  }
  for (const [y, x] of rowMin) points.push([x, y], [x, y + 1]);
  for (const [y, x] of rowMax) points.push([x + 1, y], [x + 1, y + 1]);
  const hull = convexHull(points);
  let best: Rect = { cx: 0, cy: 0, width: 0, height: 0, angle: 0 };
  let bestArea = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const [x1, y1] = hull[i]!;
    const [x2, y2] = hull[(i + 1) % hull.length]!;
    const theta = Math.atan2(y2 - y1, x2 - x1);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const [x, y] of hull) {
      const u = x * c + y * s;
      const v = -x * s + y * c;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea) {
      bestArea = area;
      const u = (minU + maxU) / 2;
      const v = (minV + maxV) / 2;
      best = { cx: u * c - v * s, cy: u * s + v * c, width: maxU - minU, height: maxV - minV, angle: theta };
    }
  }
  return best;
}

function convexHull(points: Array<[number, number]>): Array<[number, number]> {
  const sorted = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Array<[number, number]> = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Normalises a rectangle so `width` runs along the text and maps it to source pixels. */
function toSource(rect: Rect, grow: number, scaleX: number, scaleY: number, score: number): TextBox {
  let { width, height, angle } = rect;
  if (height > width) {
    [width, height] = [height, width];
    angle += Math.PI / 2;
  }
  while (angle > Math.PI / 2) angle -= Math.PI;
  while (angle <= -Math.PI / 2) angle += Math.PI;
  width += 2 * grow;
  height += 2 * grow;
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  const corner = (su: number, sv: number): Point2 => ({
    x: (rect.cx + (su * width * ux) / 2 - (sv * height * uy) / 2) * scaleX,
    y: (rect.cy + (su * width * uy) / 2 + (sv * height * ux) / 2) * scaleY,
  });
  const corners: Quad = [corner(-1, -1), corner(1, -1), corner(1, 1), corner(-1, 1)];
  // Anisotropic scaling changes lengths and angles: measure them again in source pixels.
  const [tl, tr, , bl] = corners;
  const sw = Math.hypot(tr.x - tl.x, tr.y - tl.y);
  const sh = Math.hypot(bl.x - tl.x, bl.y - tl.y);
  return {
    center: { x: rect.cx * scaleX, y: rect.cy * scaleY },
    width: sw,
    height: sh,
    angle: Math.atan2(tr.y - tl.y, tr.x - tl.x),
    corners,
    score,
  };
}
