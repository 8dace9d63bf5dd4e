import sharp from 'sharp';
import { decodeImage } from '../image/image-decoder.js';
import { defineTask } from '../pool/task.types.js';
import { analyzeImage } from './face-pipeline.js';
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
 * Face analysis as a pool task. `maxBatch` is 1: every face model's ONNX input has its batch
 * dimension fixed at 1 (checked with the sessions' inputMetadata), so concurrent requests run
 * side by side on the workers rather than stacked into one tensor.
 */
const facesAnalyzeTask = defineTask<FacesAnalyzeInput, FacesAnalyzeOutput>({
  kind: FACES_ANALYZE,
  maxBatch: 1,
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
        const outcomes: Array<FacesAnalyzeOutput | Error> = [];
        for (const { image, options } of inputs) {
          try {
            const decoded = await decodeImage(image, config.image);
            const result = await analyzeImage(models, decoded, options);
            outcomes.push({
              faces: result.faces,
              width: decoded.width,
              height: decoded.height,
              timings: { decode: decoded.decodeMs, ...result.timings },
            });
          } catch (error) {
            outcomes.push(error as Error);
          }
        }
        return outcomes;
      },
      dispose: () => releaseFaceModels(models),
    };
  },
});

export default facesAnalyzeTask;
