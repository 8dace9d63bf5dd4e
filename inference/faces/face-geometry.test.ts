import { describe, expect, it } from 'vitest';
import { ARCFACE_TEMPLATE, invertAffine, similarityTransform } from './face-align.js';
import { type Detection, iou, nms } from './face-detector.js';
import { fivePoints } from './face-landmarks.js';
import { isTooSmall } from './face-pipeline.js';
import type { Point } from './face.types.js';

function detection(x: number, y: number, width: number, height: number, score: number): Detection {
  const raw = { x, y, width, height };
  return { raw, box: raw, score };
}

function apply([a, b, c, d, e, f]: readonly number[], p: Point): Point {
  return { x: a! * p.x + b! * p.y + c!, y: d! * p.x + e! * p.y + f! };
}

describe('non-maximum suppression', () => {
  it('computes intersection over union', () => {
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 1, y: 0, width: 10, height: 10 })).toBeCloseTo(90 / 110, 12);
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 5, width: 10, height: 10 })).toBeCloseTo(25 / 175, 12);
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 10, height: 10 })).toBe(0); // touching edges
  });

  it('keeps the strongest of overlapping boxes and every separate one, strongest first', () => {
    const a = detection(0, 0, 10, 10, 0.9);
    const b = detection(1, 0, 10, 10, 0.8); // IoU 0.82 with a
    const c = detection(6, 0, 10, 10, 0.85); // IoU 0.25 with a: a different face beside it
    const d = detection(40, 40, 10, 10, 0.7);
    expect(nms([b, d, a, c], 0.4)).toEqual([a, c, d]);
    expect(nms([b, d, a, c], 0.2)).toEqual([a, d]); // a stricter threshold also drops c
  });

  it('drops a box lying mostly inside a stronger one (the same face seen at two pyramid levels), whatever its IoU', () => {
    const face = detection(0, 0, 20, 20, 0.95);
    const part = detection(2, 2, 8, 8, 0.9); // IoU 0.16, but wholly inside
    const edge = detection(15, 0, 10, 10, 0.9); // half inside: kept
    expect(nms([part, face, edge], 0.4)).toEqual([face, edge]);
  });
});

describe('similarity transform (Umeyama)', () => {
  it('recovers a known rotation, scale and translation exactly', () => {
    const [s, theta, tx, ty] = [2.5, Math.PI / 6, 5, -3];
    const truth = [s * Math.cos(theta), -s * Math.sin(theta), tx, s * Math.sin(theta), s * Math.cos(theta), ty];
    const to = ARCFACE_TEMPLATE.map((p) => apply(truth, p));
    const estimated = similarityTransform(ARCFACE_TEMPLATE, to);
    for (const [i, v] of estimated.entries()) expect(v).toBeCloseTo(truth[i]!, 10);
  });

  it('maps (0,0),(1,0) onto (0,0),(0,2): a quarter turn at scale 2', () => {
    const m = similarityTransform([{ x: 0, y: 0 }, { x: 1, y: 0 }], [{ x: 0, y: 0 }, { x: 0, y: 2 }]);
    expect(m.map((v) => Math.round(v * 1e9) / 1e9 + 0)).toEqual([0, -2, 0, 2, 0, 0]);
  });

  it('is the least-squares fit: symmetric noise on the points leaves the mapping unchanged', () => {
    // Square corners pushed outwards by 1 and inwards by 1 on alternate diagonals average out: scale 1, no turn.
    const from = [{ x: -10, y: -10 }, { x: 10, y: -10 }, { x: 10, y: 10 }, { x: -10, y: 10 }];
    const to = [{ x: -11, y: -11 }, { x: 9, y: -9 }, { x: 11, y: 11 }, { x: -9, y: 9 }];
    const m = similarityTransform(from, to);
    expect(m.map((v) => Math.round(v * 1e9) / 1e9 + 0)).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it('inverts what it maps', () => {
    const m = similarityTransform(ARCFACE_TEMPLATE, ARCFACE_TEMPLATE.map((p) => ({ x: p.y * 3 + 100, y: -p.x * 3 + 40 })));
    const back = invertAffine(m);
    for (const p of ARCFACE_TEMPLATE) {
      const q = apply(back, apply(m, p));
      expect(q.x).toBeCloseTo(p.x, 9);
      expect(q.y).toBeCloseTo(p.y, 9);
    }
  });
});

describe('68 → 5 landmarks', () => {
  it('takes eye centres from the eyelids, nose tip 30 and mouth corners over outer and inner lips (iBUG indices)', () => {
    const points68 = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 2 * i }));
    expect(fivePoints(points68)).toEqual([
      { x: 39, y: 78 }, // mean of 37, 38, 40, 41
      { x: 45, y: 90 }, // mean of 43, 44, 46, 47
      { x: 30, y: 60 },
      { x: 54, y: 108 }, // mean of 48, 60
      { x: 59, y: 118 }, // mean of 54, 64
    ]);
  });
});

describe('minimum face size', () => {
  it('needs 30 px on both sides, and a caller may raise the minimum but not lower it', () => {
    expect(isTooSmall({ width: 30, height: 30 }, 30)).toBe(false);
    expect(isTooSmall({ width: 29, height: 45 }, 30)).toBe(true); // the shorter side counts
    expect(isTooSmall({ width: 25, height: 25 }, 20)).toBe(true);
    expect(isTooSmall({ width: 40, height: 60 }, 50)).toBe(true);
    expect(isTooSmall({ width: 50, height: 60 }, 50)).toBe(false);
  });
});
