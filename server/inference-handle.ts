import type { Logger } from 'pino';
import { createInference, type Inference, type InferenceOptions } from '../inference/index.js';
import type { Config } from './config.js';

/** The inference options the configuration asks for (device, workers, pool tuning, models, image limits); unset ones keep the box's defaults. */
export function inferenceOptionsFrom(config: Config): Partial<InferenceOptions> {
  const { inference, limits } = config;
  return {
    device: inference.device,
    ...(inference.workers ? { workers: inference.workers } : {}),
    ...(inference.batchSize === undefined ? {} : { batchSize: inference.batchSize }),
    ...(inference.batchWaitMs === undefined ? {} : { batchWaitMs: inference.batchWaitMs }),
    ...(inference.queueLimit === undefined ? {} : { queueLimit: inference.queueLimit }),
    ...(inference.timeoutMs === undefined ? {} : { timeoutMs: inference.timeoutMs }),
    modelsDir: inference.modelsDir,
    image: { maxBytes: limits.maxUploadBytes, maxPixels: limits.maxImagePixels },
  };
}

/**
 * The inference pool of a node. It is the heaviest part (a worker per core, each holding its model sessions), so it
 * starts once, on first use; a serving node asks for it at start so that missing models fail the start, not the
 * first upload. A failed start is retried by the next call.
 */
export class InferenceHandle {
  private pool: Promise<Inference> | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    /** Wraps the started box (metrics); the box itself by default. */
    private readonly instrument: (inference: Inference) => Inference = (inference) => inference,
  ) {}

  get(): Promise<Inference> {
    if (!this.pool) {
      const log = this.logger.child({ module: 'inference' });
      this.pool = createInference({ ...inferenceOptionsFrom(this.config), warn: (message: string) => log.warn(message) }).then(this.instrument);
      this.pool.catch(() => {
        this.pool = undefined;
      });
    }
    return this.pool;
  }

  /** Drains and stops the pool if it was started. */
  async dispose(): Promise<void> {
    const pool = await this.pool?.catch(() => undefined);
    this.pool = undefined;
    await pool?.dispose();
  }
}
