import type { RgbImage } from '../image/rgb-image.js';
import { type LoadedModel, runModelBatch } from '../runtime/onnx-runtime.js';
import { ALIGNED_SIZE } from './face-align.js';
import { centredRgbPlanes } from './face-tensors.js';

/**
 * Embeddings of aligned 112×112 faces, all in one model run: RGB, (v − 127) / 128, NCHW
 * (lib/fr_feature.js), L2-normalised.
 */
export async function embedFaces(model: LoadedModel, aligned: readonly RgbImage[]): Promise<number[][]> {
  if (aligned.length === 0) return [];
  const outputs = await runModelBatch(model, aligned.map(centredRgbPlanes), [3, ALIGNED_SIZE, ALIGNED_SIZE]);
  return outputs.map((out) => l2Normalise(Array.from(Object.values(out)[0]!)));
}

/** Scales a vector to unit length (returns zeros unchanged). */
export function l2Normalise(vector: readonly number[]): number[] {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum);
  return norm > 0 ? vector.map((v) => v / norm) : [...vector];
}
