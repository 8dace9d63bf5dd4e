import sharp from 'sharp';
import { decodeImage } from '../image/image-decoder.js';
import { defineTask } from '../pool/task.types.js';
import { analyzeImages } from './face-pipeline.js';
import { FACES_ANALYZE } from './face.constants.js';
import { loadFaceModels, releaseFaceModels, warmUpFaceModels } from './face-models.js';
import type { AnalyzeFacesOptions, FaceAnalysis, FaceTimings } from './face.types.js';


/** Input of one face analysis: the upload's bytes, undecoded (decoding happens in the worker). */
export interface FacesAnalyzeInput {
  readonly image: Uint8Array;
  readonly options: AnalyzeFacesOptions;
}

/** Output before the pool adds the queueing-inclusive total. */
export type FacesAnalyzeOutput = Omit<FaceAnalysis, 'timings'> & { timings: Omit<FaceTimings, 'total'> };

/**
 * Most requests the face task takes in one batch (the pool's `batchSize` may lower it). The
 * models run on graphs derived with a symbolic batch dimension, so the faces of every request of
 * a batch go through each model in one run (docs/MODELS.md, "Batching").
 */
export const FACES_MAX_BATCH = 16;

/**
 * Face analysis as a pool task: decodes every image of the batch (a bad one fails alone), then
 * runs the pipeline on all of them together.
 */
const facesAnalyzeTask = defineTask<FacesAnalyzeInput, FacesAnalyzeOutput>({
  kind: FACES_ANALYZE,
  maxBatch: FACES_MAX_BATCH,
  async setup({ config, warn }) {
    // One libvips thread per operation: the pool already runs one worker per core, and libvips'
    // default (one thread per core, per operation) would oversubscribe. The operation cache only
    // holds memory for uploads that never repeat.
    sharp.concurrency(1);
    sharp.cache(false);
    const models = await loadFaceModels(config.modelsDir, { device: config.device, threads: config.threads, warn });
    await warmUpFaceModels(models);
    return {
      async run(inputs) {
        const decoded = await Promise.all(inputs.map(({ image }) => decodeImage(image, config.image).catch((error: unknown) => error as Error)));
        const good = decoded.flatMap((image, i) => (image instanceof Error ? [] : [{ image, options: inputs[i]!.options }]));
        const results = await analyzeImages(models, good);
        let next = 0;
        return decoded.map((image) => {
          if (image instanceof Error) return image;
          const { faces, timings } = results[next++]!;
          return { faces, width: image.width, height: image.height, timings: { decode: image.decodeMs, ...timings } };
        });
      },
      dispose: () => releaseFaceModels(models),
    };
  },
});

export default facesAnalyzeTask;
