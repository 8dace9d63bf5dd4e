import type { Quad } from '../localization/perspective.js';
import type { TextBox } from '../ocr/text-detector.js';

/** The machine-readable zone found among detected text boxes. */
export interface MrzBand {
  /** The MRZ lines, first line first, each spanning the whole band's length. */
  readonly lines: readonly TextBox[];
  /** The text reads in the direction opposite to the boxes' angle (document upside down). */
  readonly flipped: boolean;
}

const MAX_ANGLE_DIFFERENCE = (5 * Math.PI) / 180;

function angleDifference(a: number, b: number): number {
  let d = Math.abs(a - b) % Math.PI;
  if (d > Math.PI / 2) d = Math.PI - d;
  return d;
}

/** Projection of a point on the axes of a box: `u` along the text, `v` across it. */
function frame(angle: number) {
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  return {
    u: (p: { x: number; y: number }) => p.x * ux + p.y * uy,
    v: (p: { x: number; y: number }) => -p.x * uy + p.y * ux,
    point: (u: number, v: number) => ({ x: u * ux - v * uy, y: u * uy + v * ux }),
  };
}

/** The box with axes of `angle` spanning `[u0, u1] × [v0, v1]`. */
function boxFrom(angle: number, u0: number, u1: number, v0: number, v1: number, score: number): TextBox {
  const f = frame(angle);
  const corners: Quad = [f.point(u0, v0), f.point(u1, v0), f.point(u1, v1), f.point(u0, v1)];
  return { center: f.point((u0 + u1) / 2, (v0 + v1) / 2), width: u1 - u0, height: v1 - v0, angle, corners, score };
}

/** One text row of a candidate band: boxes on a common line, and its extent along the band. */
interface Row {
  readonly boxes: TextBox[];
  readonly v: number;
  readonly u0: number;
  readonly u1: number;
  readonly v0: number;
  readonly v1: number;
}

/**
 * Finds the MRZ among text boxes: two or three long, parallel rows of about equal height,
 * stacked at regular spacing (ICAO 9303 part 3 §4: MRZ lines are left-aligned and of fixed
 * length). A row may be several boxes: the detector breaks an MRZ line where long runs of
 * fillers print faintly. Every line is extended to the band's full length, so a line whose
 * trailing fillers were missed is read whole. The reading direction is taken from where the rest
 * of the document's text lies: above the MRZ (ICAO 9303 parts 4–7 put it at the bottom of the
 * data page or card side).
 */
export function locateMrz(boxes: readonly TextBox[]): MrzBand | undefined {
  // A TD1 line is about 17 heights long; a piece of one at least 7.
  const seeds = boxes.filter((b) => b.width / b.height >= 7).sort((a, b) => b.width - a.width);
  let best: { rows: Row[]; angle: number; score: number } | undefined;
  for (const seed of seeds.slice(0, 12)) {
    const f = frame(seed.angle);
    const seedU = seed.corners.map(f.u);
    const s0 = Math.min(...seedU) - seed.width * 0.15;
    const s1 = Math.max(...seedU) + seed.width * 0.15;
    const members = boxes.filter((b) => {
      if (b.width / b.height >= 2 && angleDifference(b.angle, seed.angle) > MAX_ANGLE_DIFFERENCE) return false;
      if (b.height > seed.height * 1.5 || b.height < seed.height * 0.6) return false;
      const u = f.u(b.center);
      return u >= s0 && u <= s1;
    });
    members.sort((a, b) => f.v(a.center) - f.v(b.center));
    const rows: Row[] = [];
    for (const box of members) {
      const v = f.v(box.center);
      const us = box.corners.map(f.u);
      const vs = box.corners.map(f.v);
      const row = rows.find((r) => Math.abs(r.v - v) < seed.height * 0.45);
      if (row) {
        rows[rows.indexOf(row)] = {
          boxes: [...row.boxes, box],
          v: row.v,
          u0: Math.min(row.u0, ...us),
          u1: Math.max(row.u1, ...us),
          v0: Math.min(row.v0, ...vs),
          v1: Math.max(row.v1, ...vs),
        };
      } else {
        rows.push({ boxes: [box], v, u0: Math.min(...us), u1: Math.max(...us), v0: Math.min(...vs), v1: Math.max(...vs) });
      }
    }
    const seedRow = rows.findIndex((r) => r.boxes.includes(seed));
    const long = (r: Row) => r.u1 - r.u0 >= 0.6 * seed.width;
    // Runs of 2–3 consecutive long rows, 0.9–3 line heights apart, containing the seed's row.
    for (let first = Math.max(0, seedRow - 2); first <= seedRow; first++) {
      for (let count = 3; count >= 2; count--) {
        const run = rows.slice(first, first + count);
        if (run.length !== count || !run.includes(rows[seedRow]!) || !run.every(long)) continue;
        const regular = run.slice(1).every((r, i) => {
          const gap = r.v - run[i]!.v;
          return gap >= seed.height * 0.9 && gap <= seed.height * 3;
        });
        if (!regular) continue;
        // TD1's three lines are evenly spaced (ICAO 9303 part 5 §4.2); an extra row of the visual
        // zone above a two-line MRZ is not.
        if (count === 3) {
          const g1 = run[1]!.v - run[0]!.v;
          const g2 = run[2]!.v - run[1]!.v;
          if (Math.abs(g1 - g2) > 0.25 * Math.max(g1, g2)) continue;
        }
        const score = run.reduce((sum, r) => sum + (r.u1 - r.u0), 0);
        if (!best || score > best.score) best = { rows: run, angle: seed.angle, score };
      }
    }
  }
  if (!best) return undefined;
  const { angle, rows } = best;
  const f = frame(angle);
  const u0 = Math.min(...rows.map((r) => r.u0));
  const u1 = Math.max(...rows.map((r) => r.u1));
  const lines = rows.map((r) => boxFrom(angle, u0, u1, r.v0, r.v1, r.boxes.reduce((s, b) => s + b.score, 0) / r.boxes.length));
  const inBand = new Set(rows.flatMap((r) => r.boxes));
  const bandV = (rows[0]!.v + rows[rows.length - 1]!.v) / 2;
  let above = 0;
  let below = 0;
  for (const box of boxes) {
    if (inBand.has(box)) continue;
    const weight = box.width * box.height;
    if (f.v(box.center) < bandV) above += weight;
    else below += weight;
  }
  const flipped = below > above;
  return { lines: flipped ? lines.slice().reverse() : lines, flipped };
}
