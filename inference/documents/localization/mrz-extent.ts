import { MRZ_LAYOUTS, type MrzFormat } from '../mrz/mrz-layout.js';
import type { Point2, Quad } from './perspective.js';

/**
 * Nominal size of each MRZ-bearing format, millimetres: ICAO 9303 part 4 (TD3 125 × 88, MRV-A
 * 120 × 80), part 6 (TD2 105 × 74), part 5 (TD1, ISO/IEC 7810 ID-1 85.6 × 54), part 7 (MRV-B
 * 105 × 74 at most, 80 in practice high).
 */
const SIZE_MM: Readonly<Record<MrzFormat, { width: number; height: number }>> = {
  TD3: { width: 125, height: 88 },
  'MRV-A': { width: 120, height: 80 },
  TD2: { width: 105, height: 74 },
  'MRV-B': { width: 105, height: 74 },
  TD1: { width: 85.6, height: 54 },
  // The French CNI of 1988–2021 (not ICAO; added with that MRZ format) is ID-2 sized.
  FRENCH_NATIONAL_ID: { width: 105, height: 74 },
};
/** ICAO 9303 part 3 §4.2: MRZ characters are set at 10 per 25.4 mm. */
const PITCH_MM = 2.54;
/** Space between the last MRZ line and the document's bottom edge, in character pitches (about 3 mm in parts 4–6). */
const BOTTOM_MARGIN_PITCHES = 1.2;

/**
 * Where the document must be, from its MRZ alone: the band's length is the format's fixed number
 * of characters at the ICAO pitch, which gives the scale; the document is the format's nominal
 * rectangle centred on the band across and ending just below it (the MRZ is at the bottom of the
 * data page or card side). Corners clockwise from the document's top-left, in image pixels.
 * Used when the outline is not found (a busy background): the estimate is within about 10% of
 * the real size, enough for the size check and for the crop the portrait is searched in.
 */
export function documentQuadFromMrz(format: MrzFormat, boxes: readonly Quad[], angle: number): { corners: Quad; longSide: number; shortSide: number } {
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  // u along the reading direction, v towards the document's bottom.
  const u = (p: Point2) => p.x * ux + p.y * uy;
  const v = (p: Point2) => -p.x * uy + p.y * ux;
  const points = boxes.flat();
  const u0 = Math.min(...points.map(u));
  const u1 = Math.max(...points.map(u));
  const v1 = Math.max(...points.map(v));
  const pitch = (u1 - u0) / MRZ_LAYOUTS[format].length;
  const size = SIZE_MM[format];
  const width = (size.width / PITCH_MM) * pitch;
  const height = (size.height / PITCH_MM) * pitch;
  const centre = (u0 + u1) / 2;
  const bottom = v1 + BOTTOM_MARGIN_PITCHES * pitch;
  const at = (uu: number, vv: number): Point2 => ({ x: uu * ux - vv * uy, y: uu * uy + vv * ux });
  const corners: Quad = [at(centre - width / 2, bottom - height), at(centre + width / 2, bottom - height), at(centre + width / 2, bottom), at(centre - width / 2, bottom)];
  return { corners, longSide: width, shortSide: height };
}
