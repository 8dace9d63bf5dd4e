import type { AnalyzeFacesOptions, Face, FaceAnalysis, Point } from '../faces/face.types.js';
import { InferenceError } from '../inference.errors.js';
import type { InferencePool } from '../pool/inference.pool.js';
import type { DocumentTaskOutput } from './document-analyzer.js';
import type { AnalyzeDocumentOptions, DocumentAnalysis, DocumentLocation, DocumentPortrait, DocumentSide } from './document.types.js';
import { DOCUMENTS_ANALYZE } from './documents.task.js';
import { isUpright } from './localization/document-orientation.js';
import { applyHomography, type Homography, insideQuad } from './localization/perspective.js';

/** The face pipeline's entry, as `createInference` exposes it. */
export type AnalyzeFaces = (image: Uint8Array, options?: AnalyzeFacesOptions) => Promise<FaceAnalysis>;

/**
 * `analyzeDocument` of the inference box. The document task (which also finds which way is up
 * and cuts the document out upright) and a fast face search on the raw photo run side by side on
 * two workers. The raw photo's face is taken when the document lies upright and the face is
 * inside its outline; otherwise (a document at 90° or 180°, a small portrait in a large photo)
 * the portrait is searched thoroughly on the upright document crop, and mapped back to photo
 * pixels. A TD1 card side with its MRZ and no portrait is the card's back: no
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
    else {
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
