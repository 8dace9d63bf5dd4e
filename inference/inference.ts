import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareEmbeddings, FACE_MATCH_THRESHOLD, type FaceComparison, primaryFace } from './faces/face-compare.js';
import type { AnalyzeFacesOptions, Face, FaceAnalysis } from './faces/face.types.js';
import { FACES_ANALYZE } from './faces/face.constants.js';
import type { FacesAnalyzeOutput } from './faces/faces.task.js';
import { InferenceError } from './inference.errors.js';
import { type InferenceOptions, resolveInferenceOptions } from './inference.options.js';
import { FACE_MODELS, OCR_MODELS } from './models/model-catalog.js';
import { analyzeDocumentWith } from './documents/document-service.js';
import type { AnalyzeDocumentOptions, DocumentAnalysis } from './documents/document.types.js';
import { ensureModels } from './models/model-store.js';
import { InferencePool, type PoolStats } from './pool/inference.pool.js';

/** An image (the upload's bytes, JPEG or PNG) or an embedding already computed. */
export type FaceInput = Uint8Array | readonly number[];

/** Options of `compareFaces`. */
export interface CompareFacesOptions extends AnalyzeFacesOptions {
  /**
   * Similarity at and above which the faces match.
   * @default FACE_MATCH_THRESHOLD
   */
  threshold?: number;
}

/** `compareFaces`' answer, with the faces used when images were given. */
export interface FaceComparisonResult extends FaceComparison {
  /** The face taken from each side (the primary one); `null` for an embedding input. */
  readonly faces: readonly [Face | null, Face | null];
  /** Milliseconds from the call to the answer. */
  readonly totalMs: number;
}

/** The inference box: the only thing `inference/` gives the rest of the project. */
export interface Inference {
  /**
   * Every face of an image with box, landmarks, embedding, liveness, age, gender, size and sharpness.
   * `search: 'thorough'` finds small faces beside large ones (a selfie holding an ID card);
   * `region` searches only a rectangle, e.g. a document's crop (see {@link AnalyzeFacesOptions}).
   */
  analyzeFaces(image: Uint8Array, options?: AnalyzeFacesOptions): Promise<FaceAnalysis>;
  /**
   * Compares two faces (images or embeddings). For an image the primary face is used (largest
   * visible area × detector score); no face gives `NO_FACE`, a primary face under 30×30 px
   * gives `FACE_TOO_SMALL`.
   */
  compareFaces(a: FaceInput, b: FaceInput, options?: CompareFacesOptions): Promise<FaceComparisonResult>;
  /** A document photo: acceptance, forensics, localisation, MRZ with check digits, fields, warnings, portrait (issue 4). */
  analyzeDocument(image: Uint8Array, options?: AnalyzeDocumentOptions): Promise<DocumentAnalysis>;
  /** Pool counters for health and metrics. */
  stats(): PoolStats;
  /** Drains in-flight work and stops the workers. */
  dispose(): Promise<void>;
}

/**
 * Starts the inference box: verifies (and, unless disabled, installs) the models, then starts the
 * worker pool. Resolves when every worker holds its sessions.
 */
export async function createInference(options: Partial<InferenceOptions> = {}): Promise<Inference> {
  const resolved = resolveInferenceOptions(options);
  // The face task is always there: a document's portrait goes through it too.
  await ensureModels(resolved.modelsDir, FACE_MODELS, { install: resolved.installModels });
  if (resolved.documents) await ensureModels(resolved.modelsDir, OCR_MODELS, { install: resolved.installModels });
  const pool = await InferencePool.start({
    workers: resolved.workers,
    queueLimit: resolved.queueLimit,
    timeoutMs: resolved.timeoutMs,
    batchSize: resolved.batchSize,
    batchWaitMs: resolved.batchWaitMs,
    warn: resolved.warn,
    taskModules: [taskModule('./faces/faces.task.js'), ...(resolved.documents ? [taskModule('./documents/documents.task.js')] : [])],
    config: { modelsDir: resolved.modelsDir, device: resolved.device, threads: resolved.threadsPerWorker, image: resolved.image },
  });

  const analyzeFaces = async (image: Uint8Array, analyzeOptions: AnalyzeFacesOptions = {}): Promise<FaceAnalysis> => {
    if (!(image instanceof Uint8Array)) throw new InferenceError('BAD_IMAGE', 'image must be a Buffer or Uint8Array');
    const started = performance.now();
    const output = await pool.run<FacesAnalyzeOutput>(FACES_ANALYZE, { image, options: analyzeOptions });
    return { ...output, timings: { ...output.timings, total: performance.now() - started } };
  };

  const faceOf = async (input: FaceInput, analyzeOptions: AnalyzeFacesOptions): Promise<{ embedding: readonly number[]; face: Face | null }> => {
    if (!(input instanceof Uint8Array)) return { embedding: input, face: null };
    const { faces, width, height } = await analyzeFaces(input, analyzeOptions);
    const face = primaryFace(faces, width, height);
    if (!face) throw new InferenceError('NO_FACE', 'no face found in the image');
    if (face.tooSmall || !face.embedding) {
      throw new InferenceError('FACE_TOO_SMALL', `the face is ${face.size} px, the minimum is 30 px`, { size: face.size });
    }
    return { embedding: face.embedding, face };
  };

  return {
    analyzeFaces,
    async compareFaces(a, b, compareOptions = {}) {
      const started = performance.now();
      const { threshold = FACE_MATCH_THRESHOLD, ...analyzeOptions } = compareOptions;
      const [left, right] = await Promise.all([faceOf(a, analyzeOptions), faceOf(b, analyzeOptions)]);
      return { ...compareEmbeddings(left.embedding, right.embedding, threshold), faces: [left.face, right.face], totalMs: performance.now() - started };
    },
    analyzeDocument: (image, documentOptions) => analyzeDocumentWith(pool, analyzeFaces, image, documentOptions),
    stats: () => pool.stats(),
    dispose: () => pool.dispose(),
  };
}

/**
 * URL of a task module next to this file. From dist/ the compiled .js exists; from sources
 * (vitest) only the .ts does, which the worker bootstrap's hooks (or vitest, in-process) load.
 */
function taskModule(relative: string): string {
  const js = new URL(relative, import.meta.url);
  return existsSync(fileURLToPath(js)) ? js.href : new URL(relative.replace(/\.js$/, '.ts'), import.meta.url).href;
}
