import { cropResize } from '../image/image-sampling.js';
import type { RgbImage } from '../image/rgb-image.js';
import { type LoadedModel, runModelBatch } from '../runtime/onnx-runtime.js';
import type { FaceCrop } from './face-landmarks.js';
import type { Box, FaceLiveness } from './face.types.js';

const SIZE = 128;
/** Context around the box the MiniFASNet-style model was trained with (lib/fr_liveness.js). */
const SCALE = 2.7;
/** Index of the "live" class. */
export const LIVE_CLASS = 0;

/**
 * Crop of `scale`× the box around its centre, shrunk so it fits the image and then shifted inside
 * it (the reference `alignLivenessImage`): the model expects real background, not black borders.
 */
export function contextBox(image: RgbImage, box: Box, scale: number): Box {
  const s = Math.min((image.height - 1) / box.height, (image.width - 1) / box.width, scale);
  const width = box.width * s;
  const height = box.height * s;
  let x = box.x + box.width / 2 - width / 2;
  let y = box.y + box.height / 2 - height / 2;
  x = Math.min(Math.max(0, x), image.width - 1 - width);
  y = Math.min(Math.max(0, y), image.height - 1 - height);
  return { x, y, width, height };
}

/**
 * Anti-spoofing for every face in one model run: 128×128 crop, raw 0..255, NCHW, channels in BGR
 * order; softmax over three classes, class 0 = live. The reference feeds RGB, but on the 22 real
 * faces of the face-api demo photos BGR input scores 19 as live against 15 with RGB
 * (docs/MODELS.md): the weights were evidently trained on OpenCV's BGR frames, as MiniFASNet's
 * training code reads them.
 */
export async function predictLiveness(model: LoadedModel, faces: readonly FaceCrop[]): Promise<FaceLiveness[]> {
  if (faces.length === 0) return [];
  const outputs = await runModelBatch(model, faces.map(livenessInput), [3, SIZE, SIZE]);
  return outputs.map((out) => {
    const classes = softmax(Array.from(Object.values(out)[0]!)) as [number, number, number];
    return { score: classes[LIVE_CLASS], classes };
  });
}

/** The anti-spoofing model's input for one face. */
function livenessInput({ image, box }: FaceCrop): Float32Array {
  const crop = cropResize(image, contextBox(image, box, SCALE), SIZE, SIZE);
  const plane = SIZE * SIZE;
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    input[i] = crop.data[i * 3 + 2]!;
    input[plane + i] = crop.data[i * 3 + 1]!;
    input[2 * plane + i] = crop.data[i * 3]!;
  }
  return input;
}

function softmax(values: readonly number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}
