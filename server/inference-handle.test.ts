import { describe, expect, it } from 'vitest';
import { resolveInferenceOptions } from '../inference/index.js';
import { ConfigError, loadConfig } from './config.js';
import { inferenceOptionsFrom } from './inference-handle.js';

describe('inference pool configuration', () => {
  it('passes batch size, batch wait, queue limit and timeout from the environment to the pool', () => {
    const config = loadConfig({
      IDGRAPH_INFERENCE_BATCH_SIZE: '4',
      IDGRAPH_INFERENCE_BATCH_WAIT_MS: '0',
      IDGRAPH_INFERENCE_QUEUE_LIMIT: '200',
      IDGRAPH_INFERENCE_TIMEOUT_MS: '5000',
      IDGRAPH_INFERENCE_WORKERS: '3',
    });
    expect(config.inference).toMatchObject({ batchSize: 4, batchWaitMs: 0, queueLimit: 200, timeoutMs: 5000, workers: 3 });
    expect(resolveInferenceOptions(inferenceOptionsFrom(config))).toMatchObject({ batchSize: 4, batchWaitMs: 0, queueLimit: 200, timeoutMs: 5000, workers: 3 });
  });

  it("keeps the inference box's defaults when they are unset", () => {
    const defaults = resolveInferenceOptions();
    const options = resolveInferenceOptions(inferenceOptionsFrom(loadConfig({})));
    expect(options).toMatchObject({ batchSize: defaults.batchSize, batchWaitMs: defaults.batchWaitMs, queueLimit: defaults.queueLimit, timeoutMs: defaults.timeoutMs });
  });

  it.each([
    ['IDGRAPH_INFERENCE_BATCH_SIZE', '0'],
    ['IDGRAPH_INFERENCE_BATCH_SIZE', 'eight'],
    ['IDGRAPH_INFERENCE_BATCH_WAIT_MS', '-1'],
    ['IDGRAPH_INFERENCE_BATCH_WAIT_MS', '2.5'],
    ['IDGRAPH_INFERENCE_QUEUE_LIMIT', '-5'],
    ['IDGRAPH_INFERENCE_TIMEOUT_MS', '0'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
