import type { RgbImage } from '../image/rgb-image.js';
import { alignFace } from './face-align.js';
import { attributeInput, predictSsr } from './face-attributes.js';
import { type DetectStats, detectFaces } from './face-detector.js';
import { embedFace } from './face-embedder.js';
import { fivePoints, predictLandmarks } from './face-landmarks.js';
import { predictLiveness } from './face-liveness.js';
import type { FaceModels } from './face-models.js';
import { laplacianVariance } from './face-quality.js';
import { MIN_FACE_SIZE } from './face.constants.js';
import type { AnalyzeFacesOptions, Face, FaceTimings } from './face.types.js';


/** Defaults of {@link AnalyzeFacesOptions}. */
export const ANALYZE_DEFAULTS: Required<AnalyzeFacesOptions> = {
  search: 'auto',
  minFaceSize: MIN_FACE_SIZE,
  maxFaces: 20,
  minScore: 0.7,
  attributes: true,
};

/** Result of the pipeline on one decoded image (timings without decoding and queueing). */
export interface PipelineResult {
  faces: Face[];
  timings: Omit<FaceTimings, 'decode' | 'total'>;
  detectorPasses: number;
}

/**
 * The whole face pipeline on one decoded image: detect (NMS, every face), then for each face at
 * least {@link MIN_FACE_SIZE} px: 68 landmarks → 5 points → similarity alignment → embedding,
 * sharpness, liveness, age and gender. Smaller faces are returned flagged `tooSmall`, unmeasured.
 */
export async function analyzeImage(models: FaceModels, image: RgbImage, options: AnalyzeFacesOptions = {}): Promise<PipelineResult> {
  const opts = { ...ANALYZE_DEFAULTS, ...stripUndefined(options) };
  const timings = { detect: 0, landmarks: 0, embed: 0, liveness: 0, attributes: 0 };
  const stats: DetectStats = { passes: 0 };
  let t = performance.now();
  const detections = await detectFaces(models.detect, image, { search: opts.search, minFaceSize: opts.minFaceSize, minScore: opts.minScore, nmsIou: 0.4 }, stats);
  timings.detect = performance.now() - t;

  detections.sort((a, b) => b.box.height - a.box.height);
  const faces: Face[] = [];
  for (const detection of detections.slice(0, opts.maxFaces)) {
    const { raw, box, score } = detection;
    // The detector's raw box is tight and about 0.6–0.8 as wide as high; its height (the side of
    // the square box the models crop) is what "a face of 30×30 px" measures.
    const size = raw.height;
    if (size < MIN_FACE_SIZE) {
      faces.push({
        box: round(box),
        score,
        landmarks5: [],
        landmarks68: [],
        size: Math.round(size),
        tooSmall: true,
        embedding: null,
        sharpness: null,
        liveness: null,
        age: null,
        gender: null,
      });
      continue;
    }
    t = performance.now();
    const landmarks68 = await predictLandmarks(models.landmark, image, box);
    const landmarks5 = fivePoints(landmarks68);
    timings.landmarks += performance.now() - t;

    t = performance.now();
    const aligned = alignFace(image, landmarks5);
    const embedding = await embedFace(models.feature, aligned);
    const sharpness = laplacianVariance(aligned);
    timings.embed += performance.now() - t;

    t = performance.now();
    const liveness = await predictLiveness(models.liveness, image, box);
    timings.liveness += performance.now() - t;

    let age: number | null = null;
    let maleness: number | null = null;
    if (opts.attributes) {
      t = performance.now();
      const input = attributeInput(image, box);
      age = await predictSsr(models.age, input, 101);
      maleness = await predictSsr(models.gender, input, 1);
      timings.attributes += performance.now() - t;
    }

    faces.push({
      box: round(box),
      score,
      landmarks5: landmarks5.map(roundPoint),
      landmarks68: landmarks68.map(roundPoint),
      size: Math.round(size),
      tooSmall: false,
      embedding,
      sharpness: Math.round(sharpness * 10) / 10,
      liveness,
      age: age === null ? null : Math.round(age * 10) / 10,
      gender: maleness === null ? null : maleness >= 0.5 ? { value: 'male', score: maleness } : { value: 'female', score: 1 - maleness },
    });
  }
  return { faces, timings, detectorPasses: stats.passes };
}

function round<T extends { x: number; y: number; width: number; height: number }>(b: T) {
  return { x: Math.round(b.x * 10) / 10, y: Math.round(b.y * 10) / 10, width: Math.round(b.width * 10) / 10, height: Math.round(b.height * 10) / 10 };
}

function roundPoint(p: { x: number; y: number }) {
  return { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
