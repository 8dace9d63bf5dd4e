import type { SerializedInferenceError } from '../inference.errors.js';
import type { ImageLimits, InferenceDevice } from '../inference.options.js';

/** What every worker is told when it starts: plain data (it crosses the thread boundary). */
export interface WorkerConfig {
  readonly modelsDir: string;
  readonly device: InferenceDevice;
  readonly threads: number;
  readonly image: ImageLimits;
}

/** Services a task gets from the worker that runs it. */
export interface TaskContext {
  readonly config: WorkerConfig;
  /** Reported to the pool's `warn` (the pool drops repeats of the same text). */
  warn(message: string): void;
}

/** A task kind's per-thread state (its model sessions), created once per worker. */
export interface TaskInstance<Input, Output> {
  /**
   * Runs a batch of inputs (at most the definition's `maxBatch`); returns one outcome per input,
   * in order. A thrown error fails the whole batch; a per-input failure is returned as an Error.
   */
  run(inputs: readonly Input[]): Promise<Array<Output | Error>>;
  /** Releases native resources. */
  dispose(): Promise<void>;
}

/**
 * One kind of work the pool runs, registered by a task module (a file whose default export is a
 * definition or an array of them). Face analysis is one; the document issue adds OCR and MRZ.
 */
export interface TaskDefinition<Input = unknown, Output = unknown> {
  /** Unique name, e.g. `faces.analyze`. */
  readonly kind: string;
  /**
   * Most requests one `run` may take. Models whose ONNX batch dimension is fixed at 1 gain nothing
   * from batching, so their tasks say 1 and the pool sends requests one by one.
   */
  readonly maxBatch: number;
  /** Loads models; called once per worker thread. */
  setup(context: TaskContext): Promise<TaskInstance<Input, Output>>;
}

/** Helper that keeps the input/output types of a definition. */
export function defineTask<Input, Output>(definition: TaskDefinition<Input, Output>): TaskDefinition<Input, Output> {
  return definition;
}

/** Messages from the pool to a worker. */
export type ToWorker =
  | { readonly type: 'run'; readonly batchId: number; readonly kind: string; readonly inputs: readonly unknown[] }
  | { readonly type: 'dispose' };

/** One input's outcome on the wire. */
export type WireOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: SerializedInferenceError };

/** Messages from a worker to the pool. */
export type FromWorker =
  | { readonly type: 'ready'; readonly kinds: ReadonlyArray<{ kind: string; maxBatch: number }> }
  | { readonly type: 'failed'; readonly error: SerializedInferenceError }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'result'; readonly batchId: number; readonly outcomes: readonly WireOutcome[] }
  | { readonly type: 'disposed' };

/** `workerData` of an inference worker. */
export interface WorkerData {
  readonly config: WorkerConfig;
  /** `file:` URLs of the task modules to load. */
  readonly taskModules: readonly string[];
  /** Set by the pool when the worker entry is TypeScript (tests): the bootstrap imports it. */
  readonly entry?: string;
}
