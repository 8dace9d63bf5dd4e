import type { RgbImage } from '../image/rgb-image.js';
import { type LoadedModel, runModel } from '../runtime/onnx-runtime.js';

/** Embedding of an aligned 112×112 face: RGB, (v − 127) / 128, NCHW (lib/fr_feature.js), L2-normalised. */
export async function embedFace(model: LoadedModel, aligned: RgbImage): Promise<number[]> {
  const plane = aligned.width * aligned.height;
  const input = new Float32Array(3 * plane);
  const { data } = aligned;
  for (let i = 0; i < plane; i++) {
    input[i] = (data[i * 3]! - 127) / 128;
    input[plane + i] = (data[i * 3 + 1]! - 127) / 128;
    input[2 * plane + i] = (data[i * 3 + 2]! - 127) / 128;
  }
  const raw = Object.values(await runModel(model, input, [1, 3, aligned.height, aligned.width]))[0]!;
  return l2Normalise(Array.from(raw));
}

/** Scales a vector to unit length (returns zeros unchanged). */
export function l2Normalise(vector: readonly number[]): number[] {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum);
  return norm > 0 ? vector.map((v) => v / norm) : [...vector];
}
