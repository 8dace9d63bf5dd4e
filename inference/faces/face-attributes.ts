import { cropResize } from '../image/image-sampling.js';
import type { RgbImage } from '../image/rgb-image.js';
import { type LoadedModel, runModelBatch } from '../runtime/onnx-runtime.js';
import { contextBox } from './face-liveness.js';
import type { Box } from './face.types.js';

const SIZE = 64;
const SCALE = 1.4;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const STAGE_OUTPUTS = [
  'prob_stage_1',
  'prob_stage_2',
  'prob_stage_3',
  'stage1_delta_k',
  'stage2_delta_k',
  'stage3_delta_k',
  'index_offset_stage1',
  'index_offset_stage2',
  'index_offset_stage3',
];

/**
 * 64×64 crop of 1.4× the box, ImageNet mean/std, NCHW (lib/fr_age.js, lib/fr_gender.js), channels
 * in BGR order: on the 22 women of the face-api demo photos BGR input calls 16 female against 12
 * with the reference's RGB (docs/MODELS.md), consistent with SSR-Net's OpenCV-based training.
 */
export function attributeInput(image: RgbImage, box: Box): Float32Array {
  const crop = cropResize(image, contextBox(image, box, SCALE), SIZE, SIZE);
  const plane = SIZE * SIZE;
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) input[c * plane + i] = (crop.data[i * 3 + 2 - c]! / 255 - MEAN[c]!) / STD[c]!;
  }
  return input;
}

/**
 * SSR-Net soft stagewise regression (Yang et al., IJCAI 2018, eq. 4–6) with three stages of
 * three bins, λ = 1: the reference `mergeAge`; `range` 101 for age, 1 for gender. Every input in
 * one model run.
 */
export async function predictSsr(model: LoadedModel, inputs: readonly Float32Array[], range: number): Promise<number[]> {
  if (inputs.length === 0) return [];
  const outputs = await runModelBatch(model, inputs, [3, SIZE, SIZE]);
  return outputs.map((out) => ssrMerge(out, range));
}

function ssrMerge(out: Record<string, Float32Array>, range: number): number {
  const x = STAGE_OUTPUTS.flatMap((name) => Array.from(out[name]!));
  const s = 3;
  const [d1, d2, d3] = [1 + x[9]!, 1 + x[10]!, 1 + x[11]!];
  let a = 0;
  let b = 0;
  let c = 0;
  for (let i = 0; i < s; i++) {
    a += (i + x[12 + i]!) * x[i]!;
    b += (i + x[15 + i]!) * x[3 + i]!;
    c += (i + x[18 + i]!) * x[6 + i]!;
  }
  a /= s * d1;
  b /= s * d1 * (s * d2);
  c /= s * d1 * (s * d2) * (s * d3);
  return (a + b + c) * range;
}
