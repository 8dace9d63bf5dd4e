import { toGrey, warpAffine } from '../image/image-sampling.js';
import type { RgbImage } from '../image/rgb-image.js';
import { type LoadedModel, runModelBatch } from '../runtime/onnx-runtime.js';
import type { Box, Point } from './face.types.js';

const SIZE = 64;

/** In-plane rotation (roll) above which the landmarks are predicted again on an upright crop. */
const REFINE_ROLL_RADIANS = (5 * Math.PI) / 180;

/** One face to place landmarks on: the image and the face's square detector box. */
export interface FaceCrop {
  readonly image: RgbImage;
  readonly box: Box;
}

/**
 * 68 iBUG points from fr_landmark for every face, in one model run (two when some heads are
 * rolled): the square detector box resized to 64×64 grey, v / 256, outputs as fractions of the
 * box (lib/fr_landmark.js). The model was trained on upright faces and drifts on tilted heads (a
 * −8° rotated selfie fell to similarity 0.33), so when the eyes say a head is rolled by more than
 * 5° its crop is rotated upright and predicted again.
 */
export async function predictLandmarks(model: LoadedModel, faces: readonly FaceCrop[]): Promise<Point[][]> {
  const first = await predictOnCrops(model, faces.map((face) => ({ ...face, angle: 0 })));
  const rolled = first.flatMap((points, i) => {
    const [leftEye, rightEye] = fivePoints(points);
    const angle = Math.atan2(rightEye!.y - leftEye!.y, rightEye!.x - leftEye!.x);
    return Math.abs(angle) < REFINE_ROLL_RADIANS ? [] : [{ index: i, angle }];
  });
  const refined = await predictOnCrops(model, rolled.map(({ index, angle }) => ({ ...faces[index]!, angle })));
  rolled.forEach(({ index }, i) => (first[index] = refined[i]!));
  return first;
}

/** Landmarks on each box's square crop turned by `angle` (radians, image y pointing down) about its centre. */
async function predictOnCrops(model: LoadedModel, crops: ReadonlyArray<FaceCrop & { angle: number }>): Promise<Point[][]> {
  if (crops.length === 0) return [];
  const outputs = await runModelBatch(model, crops.map(landmarkInput), [1, SIZE, SIZE]);
  return crops.map(({ box, angle }, i) => {
    const out = Object.values(outputs[i]!)[0]!;
    const side = box.width;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const points: Point[] = [];
    for (let p = 0; p < 68; p++) {
      const lx = out[p * 2]! * side - side / 2;
      const ly = out[p * 2 + 1]! * side - side / 2;
      points.push({ x: cx + cos * lx - sin * ly, y: cy + sin * lx + cos * ly });
    }
    return points;
  });
}

function landmarkInput({ image, box, angle }: FaceCrop & { angle: number }): Float32Array {
  const side = box.width;
  const s = side / SIZE;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const o = s / 2 - side / 2; // local coordinate of the first destination pixel centre
  // Destination pixel (u, v) → local (o + u·s, o + v·s) → rotated about the centre → source pixel index.
  const crop = warpAffine(image, [cos * s, -sin * s, cx + cos * o - sin * o - 0.5, sin * s, cos * s, cy + sin * o + cos * o - 0.5], SIZE, SIZE);
  const grey = toGrey(crop);
  for (let i = 0; i < grey.length; i++) grey[i] = grey[i]! / 256;
  return grey;
}

function mean(points: readonly Point[], indices: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    x += points[i]!.x;
    y += points[i]!.y;
  }
  return { x: x / indices.length, y: y / indices.length };
}

/**
 * The five alignment points from the 68 (iBUG indices, as lib/fr_feature.js `convert68pts5pts`):
 * eye centres from the four eyelid points (not the corners, which move with expression),
 * nose tip 30, mouth corners averaged over the outer (48/54) and inner (60/64) lip corners.
 */
export function fivePoints(landmarks68: readonly Point[]): Point[] {
  return [
    mean(landmarks68, [37, 38, 40, 41]),
    mean(landmarks68, [43, 44, 46, 47]),
    landmarks68[30]!,
    mean(landmarks68, [48, 60]),
    mean(landmarks68, [54, 64]),
  ];
}
