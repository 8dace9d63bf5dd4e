import type { Face, FaceAnalysis } from '../faces/face.types.js';
import { InferenceError } from '../inference.errors.js';
import type { InferencePool } from '../pool/inference.pool.js';
import type { DocumentTaskOutput } from './document-analyzer.js';
import type { AnalyzeDocumentOptions, DocumentAnalysis, DocumentLocation } from './document.types.js';
import { DOCUMENTS_ANALYZE } from './documents.task.js';

/** The face pipeline's entry, as `createInference` exposes it. */
export type AnalyzeFaces = (image: Uint8Array) => Promise<FaceAnalysis>;

/**
 * `analyzeDocument` of the inference box: the document task and the face pipeline run side by
 * side on two workers (the portrait needs no OCR result), then the portrait is chosen among the
 * faces: the largest one inside the document's outline, or the largest one when no outline was
 * found.
 */
export async function analyzeDocumentWith(pool: InferencePool, analyzeFaces: AnalyzeFaces, image: Uint8Array, options: AnalyzeDocumentOptions = {}): Promise<DocumentAnalysis> {
  if (!(image instanceof Uint8Array)) throw new InferenceError('BAD_IMAGE', 'image must be a Buffer or Uint8Array');
  const started = performance.now();
  const { portrait = true, ...taskOptions } = options;
  // Dates do not survive every transport the same way: the worker gets epoch milliseconds.
  if (taskOptions.now instanceof Date) taskOptions.now = taskOptions.now.getTime();
  const facesStarted = performance.now();
  const [document, faces] = await Promise.all([
    pool.run<DocumentTaskOutput>(DOCUMENTS_ANALYZE, { image, options: taskOptions }),
    portrait
      ? analyzeFaces(image).then(
          (analysis) => ({ analysis, ms: performance.now() - facesStarted }),
          // A document the face pipeline cannot take (it refuses the same images the decoder does) still has its text read.
          (error: unknown) => ({ error: InferenceError.from(error), ms: performance.now() - facesStarted }),
        )
      : undefined,
  ]);
  let face: Face | null = null;
  const warnings = [...document.warnings];
  if (faces && 'analysis' in faces) face = portraitFace(faces.analysis.faces, document.location);
  if (portrait && !face) {
    warnings.push({ code: 'DOCUMENT_FACE_NOT_FOUND', severity: 'HIGH', confidence: 1, message: 'Could not detect face in document image.', params: {} });
  }
  return {
    ...document,
    portrait: portrait ? { face } : null,
    warnings,
    timings: { ...document.timings, portrait: faces?.ms ?? 0, total: performance.now() - started },
  };
}

/** The largest measurable face whose centre lies inside the document outline (any, without an outline). */
export function portraitFace(faces: readonly Face[], location: DocumentLocation): Face | null {
  const inside = (face: Face) => {
    if (!location.corners) return true;
    const x = face.box.x + face.box.width / 2;
    const y = face.box.y + face.box.height / 2;
    const c = location.corners;
    let sign = 0;
    for (let i = 0; i < 4; i++) {
      const a = c[i]!;
      const b = c[(i + 1) % 4]!;
      const cross = Math.sign((b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x));
      if (cross === 0) continue;
      if (sign === 0) sign = cross;
      else if (cross !== sign) return false;
    }
    return true;
  };
  const candidates = faces.filter((f) => !f.tooSmall && inside(f));
  return candidates.sort((a, b) => b.size - a.size)[0] ?? null;
}
