import type { AnalyzeFacesOptions, Box, Face, FaceAnalysis, Point } from '../faces/face.types.js';
import { InferenceError } from '../inference.errors.js';
import type { InferencePool } from '../pool/inference.pool.js';
import type { DocumentTaskOutput } from './document-analyzer.js';
import type { AnalyzeDocumentOptions, DocumentAnalysis, DocumentLocation, DocumentPortrait, DocumentSide } from './document.types.js';
import { DOCUMENTS_ANALYZE } from './documents.task.js';
import { isUpright } from './localization/document-orientation.js';
import { applyHomography, type Homography, insideQuad, type Quad } from './localization/perspective.js';

/** The face pipeline's entry, as `createInference` exposes it. */
export type AnalyzeFaces = (image: Uint8Array, options?: AnalyzeFacesOptions) => Promise<FaceAnalysis>;

/**
 * `analyzeDocument` of the inference box. The document task (which also finds which way is up
 * and cuts the document out upright) and a fast face search on the raw photo run side by side on
 * two workers. The raw photo's face is taken when the document lies upright and the face is
 * inside its outline. Otherwise the portrait is searched thoroughly on the document: in its
 * rectangle of the photo when it lies upright (a small portrait in a large photo), on the upright
 * document crop when it is turned (90°, 180°), the face then mapped back to photo pixels. A TD1 card side with its MRZ and no portrait is the card's back: no
 * `DOCUMENT_FACE_NOT_FOUND` for it (ICAO 9303 part 5 puts the MRZ on the back).
 */
export async function analyzeDocumentWith(pool: InferencePool, analyzeFaces: AnalyzeFaces, image: Uint8Array, options: AnalyzeDocumentOptions = {}): Promise<DocumentAnalysis> {
  if (!(image instanceof Uint8Array)) throw new InferenceError('BAD_IMAGE', 'image must be a Buffer or Uint8Array');
  const started = performance.now();
  const { portrait = true, ...taskOptions } = options;
  // Dates do not survive every transport the same way: the worker gets epoch milliseconds.
  if (taskOptions.now instanceof Date) taskOptions.now = taskOptions.now.getTime();
  const [output, head] = await Promise.all([
    pool.run<DocumentTaskOutput>(DOCUMENTS_ANALYZE, { image, options: taskOptions }),
    portrait ? timedFaces(analyzeFaces, image, { search: 'fast' }) : undefined,
  ]);
  const { portraitSearch, ...document } = output;
  let found: DocumentPortrait = { face: null, foundOn: null };
  let portraitMs = head?.ms ?? 0;
  if (portrait) {
    const face = head?.analysis && isUpright(document.orientation) ? portraitFace(head.analysis.faces, document.location) : null;
    if (face) found = { face, foundOn: 'photo' };
    else if (isUpright(document.orientation) && document.location.corners) {
      // Upright: the faces module searches the document's own rectangle of the photo (the face's
      // surroundings stay real for liveness, pixels stay the photo's).
      const inRegion = await timedFaces(analyzeFaces, image, { search: 'thorough', region: boundsOf(document.location.corners) });
      portraitMs += inRegion.ms;
      const face = inRegion.analysis ? portraitFace(inRegion.analysis.faces, document.location) : null;
      if (face) found = { face, foundOn: 'document' };
    } else {
      // Turned: the face detector wants upright faces, so the search runs on the upright crop.
      const onCrop = await timedFaces(analyzeFaces, portraitSearch.image, { search: 'thorough' });
      portraitMs += onCrop.ms;
      const largest = onCrop.analysis?.faces.filter((f) => !f.tooSmall).sort((a, b) => b.size - a.size)[0];
      if (largest) found = { face: faceInPhoto(largest, portraitSearch.toPhoto), foundOn: 'document' };
    }
  }
  const side: DocumentSide = !portrait ? 'UNKNOWN' : found.face ? 'FRONT' : document.mrz?.format === 'TD1' ? 'BACK' : 'UNKNOWN';
  const warnings = [...document.warnings];
  if (portrait && !found.face && side !== 'BACK') {
    warnings.push({ code: 'DOCUMENT_FACE_NOT_FOUND', severity: 'HIGH', confidence: 1, message: 'Could not detect face in document image.', params: {} });
  }
  return {
    ...document,
    side,
    portrait: portrait ? found : null,
    warnings,
    timings: { ...document.timings, portrait: portraitMs, total: performance.now() - started },
  };
}

async function timedFaces(analyzeFaces: AnalyzeFaces, image: Uint8Array, options: AnalyzeFacesOptions): Promise<{ analysis?: FaceAnalysis; ms: number }> {
  const started = performance.now();
  try {
    return { analysis: await analyzeFaces(image, options), ms: performance.now() - started };
  } catch {
    // A photo the face pipeline cannot take (it refuses the same images the decoder does) still has its text read.
    return { ms: performance.now() - started };
  }
}

/** The axis-aligned bounds of a quadrilateral, whole pixels. */
function boundsOf(q: Quad): Box {
  const xs = q.map((p) => p.x);
  const ys = q.map((p) => p.y);
  const x = Math.floor(Math.min(...xs));
  const y = Math.floor(Math.min(...ys));
  return { x, y, width: Math.ceil(Math.max(...xs)) - x, height: Math.ceil(Math.max(...ys)) - y };
}

/** A face found on the upright crop, with its box (the bounds of the mapped box), landmarks and size in photo pixels. */
export function faceInPhoto(face: Face, toPhoto: Homography): Face {
  const map = (p: Point): Point => {
    const q = applyHomography(toPhoto, p);
    return { x: Math.round(q.x * 10) / 10, y: Math.round(q.y * 10) / 10 };
  };
  const { x, y, width, height } = face.box;
  const corners = [map({ x, y }), map({ x: x + width, y }), map({ x: x + width, y: y + height }), map({ x, y: y + height })];
  const x0 = Math.min(...corners.map((p) => p.x));
  const y0 = Math.min(...corners.map((p) => p.y));
  const x1 = Math.max(...corners.map((p) => p.x));
  const y1 = Math.max(...corners.map((p) => p.y));
  // Side lengths of the mapped box: the crop's scale at the face.
  const scale = Math.hypot(corners[3]!.x - corners[0]!.x, corners[3]!.y - corners[0]!.y) / Math.max(1, height);
  return {
    ...face,
    box: { x: Math.round(x0), y: Math.round(y0), width: Math.round(x1 - x0), height: Math.round(y1 - y0) },
    landmarks5: face.landmarks5.map(map),
    landmarks68: face.landmarks68.map(map),
    size: Math.round(face.size * scale),
  };
}

/** The largest measurable face whose centre lies inside the document outline (any, without an outline). */
export function portraitFace(faces: readonly Face[], location: DocumentLocation): Face | null {
  const inside = (face: Face) => !location.corners || insideQuad(location.corners, { x: face.box.x + face.box.width / 2, y: face.box.y + face.box.height / 2 });
  const candidates = faces.filter((f) => !f.tooSmall && inside(f));
  return candidates.sort((a, b) => b.size - a.size)[0] ?? null;
}
