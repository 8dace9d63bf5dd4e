import type { RgbImage } from '../image/rgb-image.js';
import { alignFace } from './face-align.js';
import { attributeInput, predictSsr } from './face-attributes.js';
import { type Detection, type DetectStats, detectFaces } from './face-detector.js';
import { embedFaces } from './face-embedder.js';
import { fivePoints, predictLandmarks } from './face-landmarks.js';
import { predictLiveness } from './face-liveness.js';
import type { FaceModels } from './face-models.js';
import { laplacianVariance } from './face-quality.js';
import { MIN_FACE_SIZE } from './face.constants.js';
import type { AnalyzeFacesOptions, Face, FaceTimings } from './face.types.js';

/** Defaults of {@link AnalyzeFacesOptions}. */
export const ANALYZE_DEFAULTS: Required<Omit<AnalyzeFacesOptions, 'region'>> = {
  search: 'auto',
  minFaceSize: MIN_FACE_SIZE,
  maxFaces: 20,
  minScore: 0.7,
  attributes: true,
};

/** One image to analyse, with its own options. */
export interface PipelineRequest {
  readonly image: RgbImage;
  readonly options?: AnalyzeFacesOptions;
}

/** Result of the pipeline on one decoded image (timings without decoding and queueing). */
export interface PipelineResult {
  faces: Face[];
  timings: Omit<FaceTimings, 'decode' | 'total'>;
  detectorPasses: number;
}

type StageTimings = PipelineResult['timings'];

/** A face big enough to measure, with where it came from. */
interface Measured {
  readonly request: number;
  readonly image: RgbImage;
  readonly detection: Detection;
  readonly attributes: boolean;
}

/**
 * Whether a detection is under the minimum face: either side of the detector's rectangle below
 * `max(MIN_FACE_SIZE, minFaceSize)` (DESIGN.md §4, "a face at least 30×30 px"; a caller may ask
 * for more, never for less).
 */
export function isTooSmall(raw: { width: number; height: number }, minFaceSize: number): boolean {
  const minimum = Math.max(MIN_FACE_SIZE, minFaceSize);
  return raw.width < minimum || raw.height < minimum;
}

/**
 * The whole face pipeline on a batch of decoded images: detect (NMS, every face; the first
 * detector pass of every image in one run), then for every face of every image that is not too
 * small, stage by stage with one model run per stage for all of them: 68 landmarks → 5 points → similarity alignment → embedding, sharpness,
 * liveness, age and gender. Smaller faces are returned flagged `tooSmall`, unmeasured. Each stage's
 * time is shared among the images by their number of measured faces.
 */
export async function analyzeImages(models: FaceModels, requests: readonly PipelineRequest[]): Promise<PipelineResult[]> {
  const measured: Measured[] = [];
  const opts = requests.map(({ options = {} }) => ({ ...ANALYZE_DEFAULTS, ...stripUndefined(options) }));
  const stats: DetectStats[] = requests.map(() => ({ passes: 0 }));
  const started = performance.now();
  const detections = await detectFaces(
    models.detect,
    requests.map(({ image, options = {} }, i) => ({
      image,
      options: { search: opts[i]!.search, minFaceSize: opts[i]!.minFaceSize, minScore: opts[i]!.minScore, nmsIou: 0.4, ...(options.region ? { region: options.region } : {}) },
      stats: stats[i]!,
    })),
  );
  // Detection time is shared by detector inputs: a pyramid search costs its image many tiles.
  const detectMs = performance.now() - started;
  const passes = stats.reduce((n, s) => n + s.passes, 0);
  const results: PipelineResult[] = stats.map((s) => ({
    faces: [],
    timings: { detect: passes > 0 ? (detectMs * s.passes) / passes : 0, landmarks: 0, embed: 0, liveness: 0, attributes: 0 },
    detectorPasses: s.passes,
  }));
  // Per image, its detections largest first: a too-small face as is, a measured one by its index in `measured`.
  const order = detections.map((found, request) =>
    [...found]
      .sort((a, b) => b.box.height - a.box.height)
      .slice(0, opts[request]!.maxFaces)
      .map((detection): Detection | number => {
        if (isTooSmall(detection.raw, opts[request]!.minFaceSize)) return detection;
        measured.push({ request, image: requests[request]!.image, detection, attributes: opts[request]!.attributes });
        return measured.length - 1;
      }),
  );

  const share = (stage: Exclude<keyof StageTimings, 'detect'>, faces: readonly Measured[], started: number) => {
    const ms = performance.now() - started;
    for (const face of faces) results[face.request]!.timings[stage] += ms / faces.length;
  };
  const crops = measured.map(({ image, detection }) => ({ image, box: detection.box }));
  let t = performance.now();
  const landmarks68 = await predictLandmarks(models.landmark, crops);
  const landmarks5 = landmarks68.map(fivePoints);
  share('landmarks', measured, t);

  t = performance.now();
  const aligned = measured.map(({ image }, i) => alignFace(image, landmarks5[i]!));
  const embeddings = await embedFaces(models.feature, aligned);
  const sharpness = aligned.map(laplacianVariance);
  share('embed', measured, t);

  t = performance.now();
  const liveness = await predictLiveness(models.liveness, crops);
  share('liveness', measured, t);

  t = performance.now();
  const withAttributes = measured.flatMap((m, i) => (m.attributes ? [i] : []));
  const inputs = withAttributes.map((i) => attributeInput(measured[i]!.image, measured[i]!.detection.box));
  const ages = await predictSsr(models.age, inputs, 101);
  const maleness = await predictSsr(models.gender, inputs, 1);
  share('attributes', withAttributes.map((i) => measured[i]!), t);
  const attributesOf = new Map(withAttributes.map((m, k) => [m, { age: ages[k]!, maleness: maleness[k]! }]));

  order.forEach((slots, request) => {
    results[request]!.faces = slots.map((slot): Face => {
      if (typeof slot !== 'number') return tooSmallFace(slot);
      const { box, raw, score } = measured[slot]!.detection;
      const attributes = attributesOf.get(slot);
      return {
        box: round(box),
        score,
        landmarks5: landmarks5[slot]!.map(roundPoint),
        landmarks68: landmarks68[slot]!.map(roundPoint),
        size: faceSize(raw),
        tooSmall: false,
        embedding: embeddings[slot]!,
        sharpness: Math.round(sharpness[slot]! * 10) / 10,
        liveness: liveness[slot]!,
        age: attributes ? Math.round(attributes.age * 10) / 10 : null,
        gender: attributes ? (attributes.maleness >= 0.5 ? { value: 'male', score: attributes.maleness } : { value: 'female', score: 1 - attributes.maleness }) : null,
      };
    });
  });
  return results;
}

function tooSmallFace({ box, raw, score }: Detection): Face {
  return { box: round(box), score, landmarks5: [], landmarks68: [], size: faceSize(raw), tooSmall: true, embedding: null, sharpness: null, liveness: null, age: null, gender: null };
}

/** The shorter side of the detector's rectangle (`Face.size`). */
function faceSize(raw: { width: number; height: number }): number {
  return Math.round(Math.min(raw.width, raw.height));
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
