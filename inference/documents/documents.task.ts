import sharp from 'sharp';
import { decodeImage } from '../image/image-decoder.js';
import { defineTask } from '../pool/task.types.js';
import { analyzeDecodedDocument, type DocumentTaskOutput } from './document-analyzer.js';
import type { AnalyzeDocumentOptions } from './document.types.js';
import { loadOcrModels, releaseOcrModels } from './ocr/ocr-models.js';

/** Pool task kind of one document analysis. */
export const DOCUMENTS_ANALYZE = 'documents.analyze';

/** Input of one document analysis: the upload's bytes, undecoded (decoding happens in the worker). */
export interface DocumentsAnalyzeInput {
  readonly image: Uint8Array;
  readonly options: Omit<AnalyzeDocumentOptions, 'portrait'>;
}

/**
 * Document analysis as a pool task. `maxBatch` is 1 at the request level: the batching that pays
 * is inside a request, where every MRZ line goes through the recogniser as one batch (its
 * batch axis is dynamic); requests of different sizes do not stack into one tensor.
 */
const documentsAnalyzeTask = defineTask<DocumentsAnalyzeInput, DocumentTaskOutput>({
  kind: DOCUMENTS_ANALYZE,
  maxBatch: 1,
  async setup({ config, warn }) {
    // Same libvips settings as the face task: one thread per operation, no operation cache.
    sharp.concurrency(1);
    sharp.cache(false);
    const models = await loadOcrModels(config.modelsDir, { device: config.device, threads: config.threads, warn });
    return {
      async run(inputs) {
        const outcomes: Array<DocumentTaskOutput | Error> = [];
        for (const { image, options } of inputs) {
          try {
            const decoded = await decodeImage(image, config.image);
            outcomes.push(await analyzeDecodedDocument(models, decoded, image, options));
          } catch (error) {
            outcomes.push(error as Error);
          }
        }
        return outcomes;
      },
      dispose: () => releaseOcrModels(models),
    };
  },
});

export default documentsAnalyzeTask;
