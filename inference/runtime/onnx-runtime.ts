import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import type { InferenceDevice } from '../inference.options.js';

/** How sessions are created in one thread. */
export interface RuntimeOptions {
  /** Requested device. */
  readonly device: InferenceDevice;
  /** ONNX Runtime intra-op threads per session. */
  readonly threads: number;
  /** Receives a warning when the requested device is not available. */
  readonly warn: (message: string) => void;
}

/** A loaded model: the ONNX Runtime session and the provider it really runs on. */
export interface LoadedModel {
  readonly session: ort.InferenceSession;
  readonly provider: 'cpu' | 'cuda';
}

const require = createRequire(import.meta.url);

/**
 * Whether the CUDA execution provider library is present. onnxruntime-node's install script
 * downloads it only with `ONNXRUNTIME_NODE_INSTALL=cuda12` (this project's `.npmrc` skips it,
 * the registry-only machines cannot reach its host). Checking the file first avoids ORT's own
 * red error line on stderr for every session on CPU-only machines.
 */
export function cudaProviderInstalled(): boolean {
  try {
    const binding = dirname(require.resolve('onnxruntime-node'));
    const dir = join(binding, '..', 'bin', 'napi-v6', process.platform, process.arch);
    return existsSync(join(dir, 'libonnxruntime_providers_cuda.so')) || existsSync(join(dir, 'onnxruntime_providers_cuda.dll'));
  } catch {
    return false;
  }
}

let cudaUnavailableWarned = false;

/**
 * Creates a session on the requested device. `cuda` with CPU as ORT's own fallback for
 * unsupported operators; when the CUDA provider is missing or fails to initialise (no driver,
 * no GPU), the session is created on CPU and one warning per thread is reported.
 */
export async function loadModel(path: string, options: RuntimeOptions): Promise<LoadedModel> {
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // 3 = errors only: the age/gender graphs list their initialisers as inputs, which ORT
    // reports as one warning per tensor (harmless; it only disables constant folding for them).
    logSeverityLevel: 3,
  };
  if (options.device === 'cuda') {
    if (cudaProviderInstalled()) {
      try {
        return { session: await ort.InferenceSession.create(path, { ...base, executionProviders: ['cuda', 'cpu'] }), provider: 'cuda' };
      } catch (error) {
        warnOnce(options, `CUDA execution provider failed (${(error as Error).message.split('\n')[0]}); running on CPU`);
      }
    } else {
      warnOnce(
        options,
        'IDGRAPH_DEVICE=cuda but the onnxruntime-node CUDA provider is not installed (install with ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci); running on CPU',
      );
    }
  }
  return { session: await ort.InferenceSession.create(path, { ...base, executionProviders: ['cpu'] }), provider: 'cpu' };
}

function warnOnce(options: RuntimeOptions, message: string): void {
  if (cudaUnavailableWarned) return;
  cudaUnavailableWarned = true;
  options.warn(message);
}

/** Runs a single-input model on one float32 NCHW tensor and returns every output by name. */
export async function runModel(model: LoadedModel, data: Float32Array, dims: readonly number[]): Promise<Record<string, Float32Array>> {
  const input = new ort.Tensor('float32', data, dims);
  const outputs = await model.session.run({ [model.session.inputNames[0]!]: input });
  const result: Record<string, Float32Array> = {};
  for (const [name, tensor] of Object.entries(outputs)) result[name] = tensor.data as Float32Array;
  return result;
}

/** Most items stacked into one run: bounds the activations' memory when a batch holds many faces. */
const MAX_RUN_BATCH = 32;

/**
 * Runs a single-input model whose first dimension is symbolic on same-shaped items stacked along
 * it (one `session.run` per {@link MAX_RUN_BATCH} items) and returns each item's outputs, in order.
 */
export async function runModelBatch(model: LoadedModel, items: readonly Float32Array[], itemDims: readonly number[]): Promise<Array<Record<string, Float32Array>>> {
  const results: Array<Record<string, Float32Array>> = [];
  for (let start = 0; start < items.length; start += MAX_RUN_BATCH) {
    const chunk = items.slice(start, start + MAX_RUN_BATCH);
    const size = chunk[0]!.length;
    const stacked = new Float32Array(size * chunk.length);
    chunk.forEach((item, i) => stacked.set(item, i * size));
    const outputs = Object.entries(await runModel(model, stacked, [chunk.length, ...itemDims]));
    for (let i = 0; i < chunk.length; i++) {
      results.push(Object.fromEntries(outputs.map(([name, data]) => [name, data.subarray((i * data.length) / chunk.length, ((i + 1) * data.length) / chunk.length)])));
    }
  }
  return results;
}
