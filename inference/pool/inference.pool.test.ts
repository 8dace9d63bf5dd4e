import { afterEach, describe, expect, it } from 'vitest';
import { InferenceError } from '../inference.errors.js';
import { defaultInferenceOptions, resolveInferenceOptions } from '../inference.options.js';
import { InferencePool, type PoolOptions } from './inference.pool.js';

const TEST_TASKS = new URL('./testing/pool-test.task.ts', import.meta.url).href;
const defaults = resolveInferenceOptions();

function poolOptions(overrides: Partial<PoolOptions> = {}): PoolOptions {
  return {
    workers: 1,
    queueLimit: 16,
    timeoutMs: 10_000,
    batchSize: 4,
    batchWaitMs: 5,
    taskModules: [TEST_TASKS],
    warn: () => {},
    config: { modelsDir: defaults.modelsDir, device: 'cpu', threads: 1, image: defaultInferenceOptions().image },
    ...overrides,
  };
}

let pool: InferencePool | undefined;
afterEach(async () => {
  await pool?.dispose(1_000);
  pool = undefined;
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    expect(error).toBeInstanceOf(InferenceError);
    return (error as InferenceError).code;
  }
}

describe('InferencePool (worker threads)', () => {
  it('registers the task kinds of its modules and runs them in worker threads', async () => {
    pool = await InferencePool.start(poolOptions({ workers: 2 }));
    expect(pool.kinds.sort()).toEqual(['test.echo', 'test.fail', 'test.sleep']);
    const result = await pool.run<{ value: number; threadId: number }>('test.echo', { value: 7 });
    expect(result.value).toBe(7);
    expect(result.threadId).toBeGreaterThan(0); // 0 is the main thread
  });

  it('micro-batches concurrent requests of a batchable kind, up to batchSize', async () => {
    pool = await InferencePool.start(poolOptions({ batchSize: 3, batchWaitMs: 20 }));
    const results = await Promise.all(Array.from({ length: 6 }, (_, value) => pool!.run<{ value: number; batchSize: number }>('test.echo', { value })));
    expect(results.map((r) => r.value)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.batchSize)).toEqual([3, 3, 3, 3, 3, 3]);
  });

  it('sends a lone request at once while another worker is free, without waiting for companions', async () => {
    pool = await InferencePool.start(poolOptions({ workers: 2, batchSize: 4, batchWaitMs: 1_000 }));
    const started = performance.now();
    const result = await pool.run<{ batchSize: number }>('test.echo', { value: 1 });
    expect(result.batchSize).toBe(1);
    expect(performance.now() - started).toBeLessThan(500); // well under the 1 s wait window
  });

  it('shares a burst out evenly among the free workers', async () => {
    pool = await InferencePool.start(poolOptions({ workers: 2, batchSize: 8, batchWaitMs: 5 }));
    const results = await Promise.all(Array.from({ length: 8 }, (_, value) => pool!.run<{ batchSize: number; threadId: number }>('test.echo', { value })));
    expect(results.map((r) => r.batchSize)).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
  });

  it('admits as many requests as the free workers take in one batch, beyond the queue limit', async () => {
    pool = await InferencePool.start(poolOptions({ queueLimit: 1, batchSize: 3, batchWaitMs: 50 }));
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, value) => codeOf(pool!.run('test.echo', { value }))));
    // Three leave as the free worker's batch, one waits in the queue, two are refused.
    expect(outcomes).toEqual(['resolved', 'resolved', 'resolved', 'resolved', 'BUSY', 'BUSY']);
  });

  it('answers BUSY once the bounded queue is full, and keeps serving', async () => {
    pool = await InferencePool.start(poolOptions({ queueLimit: 2 }));
    const running = pool.run('test.sleep', { ms: 300 }); // occupies the only worker
    await new Promise((resolve) => setImmediate(resolve));
    const queued = [pool.run('test.sleep', { ms: 1 }), pool.run('test.sleep', { ms: 1 })];
    expect(await codeOf(pool.run('test.sleep', { ms: 1 }))).toBe('BUSY');
    await Promise.all([running, ...queued]);
    expect(pool.stats().rejectedBusy).toBe(1);
    await expect(pool.run('test.echo', { value: 1 })).resolves.toMatchObject({ value: 1 });
  });

  it('times out a request that takes too long', async () => {
    pool = await InferencePool.start(poolOptions({ timeoutMs: 100 }));
    expect(await codeOf(pool.run('test.sleep', { ms: 400 }))).toBe('TIMEOUT');
    expect(pool.stats().timedOut).toBe(1);
  });

  it('passes typed errors from a task through', async () => {
    pool = await InferencePool.start(poolOptions());
    const error = await pool.run('test.fail', { how: 'throw' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceError);
    expect(error).toMatchObject({ code: 'BAD_IMAGE', message: 'test failure' });
  });

  it('replaces a crashed worker and fails only the request it was running', async () => {
    pool = await InferencePool.start(poolOptions());
    const before = await pool.run<{ threadId: number }>('test.echo', { value: 1 });
    expect(await codeOf(pool.run('test.fail', { how: 'exit' }))).toBe('WORKER_CRASHED');
    const after = await pool.run<{ threadId: number; value: number }>('test.echo', { value: 2 });
    expect(after.value).toBe(2);
    expect(after.threadId).not.toBe(before.threadId);
    expect(pool.stats()).toMatchObject({ workers: 1, workerRestarts: 1 });
  });

  it('drains queued work on dispose, then refuses new work', async () => {
    pool = await InferencePool.start(poolOptions());
    const inFlight = [pool.run('test.sleep', { ms: 50 }), pool.run('test.sleep', { ms: 50 })];
    const disposed = pool.dispose();
    expect(await codeOf(pool.run('test.echo', { value: 1 }))).toBe('SHUTTING_DOWN');
    await expect(Promise.all(inFlight)).resolves.toEqual([{ slept: 50 }, { slept: 50 }]);
    await disposed;
    expect(pool.stats().workers).toBe(0);
  });

  it('rejects the start when a task module cannot be loaded', async () => {
    const error = await InferencePool.start(poolOptions({ taskModules: [new URL('./testing/missing.task.ts', import.meta.url).href] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceError);
  });
});

describe('InferencePool (in-process, workers = 0)', () => {
  it('runs the same task modules in the calling thread', async () => {
    pool = await InferencePool.start(poolOptions({ workers: 0 }));
    const result = await pool.run<{ threadId: number }>('test.echo', { value: 3 });
    expect(result).toMatchObject({ value: 3, threadId: 0 });
  });
});
