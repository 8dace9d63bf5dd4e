import { Worker } from 'node:worker_threads';
// libvips must be loaded by the main thread before any worker uses it: on glibc Linux a worker
// that loads it first unloads it on exit and the next one crashes (sharp docs, "Worker threads").
import 'sharp';
import { InferenceError } from '../inference.errors.js';
import { loadTasks, type LoadedTasks } from './task-loader.js';
import type { FromWorker, ToWorker, WireOutcome, WorkerConfig, WorkerData } from './task.types.js';

/** Pool settings (a subset of `InferenceOptions`). */
export interface PoolOptions {
  /** Worker threads; 0 runs tasks in the calling thread. */
  readonly workers: number;
  readonly queueLimit: number;
  readonly timeoutMs: number;
  readonly batchSize: number;
  readonly batchWaitMs: number;
  readonly config: WorkerConfig;
  /** `file:` URLs of task modules every worker loads. */
  readonly taskModules: readonly string[];
  readonly warn: (message: string) => void;
}

/** Counters for health checks and metrics. */
export interface PoolStats {
  readonly workers: number;
  readonly busyWorkers: number;
  readonly queued: number;
  readonly completed: number;
  readonly failed: number;
  /** Batches handed to workers: `(completed + failed) / batches` is the mean batch size. */
  readonly batches: number;
  readonly rejectedBusy: number;
  readonly timedOut: number;
  readonly workerRestarts: number;
}

interface Request {
  readonly kind: string;
  readonly input: unknown;
  readonly enqueuedAt: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: InferenceError) => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

/** Where a batch runs: a worker thread, or (workers = 0) the calling thread. */
interface Slot {
  busy: boolean;
  /** Being replaced: its exit is expected and must not trigger another replacement. */
  retired: boolean;
  batch: Request[] | undefined;
  run(kind: string, inputs: readonly unknown[]): Promise<readonly WireOutcome[]>;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

// Sources run under vitest are TypeScript: a worker cannot start a .ts file, so the pool starts a
// small .mjs bootstrap that registers type-stripping hooks and imports the .ts entry. From dist/
// the compiled inference.worker.js starts directly.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const WORKER_ENTRY = new URL(FROM_SOURCES ? './inference.worker.ts' : './inference.worker.js', import.meta.url);
const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
/** A batch still running this long after its timeout means a wedged worker: it is replaced. */
const STUCK_GRACE_MS = 5_000;

/**
 * A pool of worker threads, each holding its own model sessions: a bounded queue (a full queue
 * answers `BUSY` instead of growing), per-request timeouts, micro-batching of same-kind requests
 * for task kinds that accept a batch, replacement of crashed workers and a draining `dispose`.
 */
export class InferencePool {
  readonly #options: PoolOptions;
  readonly #queue: Request[] = [];
  readonly #slots: Slot[] = [];
  readonly #maxBatch = new Map<string, number>();
  readonly #warned = new Set<string>();
  #batchTimer: NodeJS.Timeout | undefined;
  #dispatchScheduled = false;
  #closing = false;
  #drained: (() => void) | undefined;
  #stats = { completed: 0, failed: 0, batches: 0, rejectedBusy: 0, timedOut: 0, workerRestarts: 0 };

  private constructor(options: PoolOptions) {
    this.#options = options;
  }

  /** Starts the workers and resolves once every one has loaded its tasks (or rejects with why one could not). */
  static async start(options: PoolOptions): Promise<InferencePool> {
    const pool = new InferencePool(options);
    try {
      if (options.workers === 0) {
        pool.#slots.push(await pool.#startLocal());
      } else {
        const slots = await Promise.allSettled(Array.from({ length: options.workers }, () => pool.#startWorker()));
        for (const s of slots) if (s.status === 'fulfilled') pool.#slots.push(s.value);
        const failure = slots.find((s) => s.status === 'rejected');
        if (failure) throw (failure as PromiseRejectedResult).reason;
      }
    } catch (error) {
      await Promise.allSettled(pool.#slots.map((s) => s.kill()));
      throw InferenceError.from(error);
    }
    return pool;
  }

  /** Task kinds the workers registered. */
  get kinds(): string[] {
    return [...this.#maxBatch.keys()];
  }

  /** Queue and worker counters. */
  stats(): PoolStats {
    return {
      workers: this.#slots.length,
      busyWorkers: this.#slots.filter((s) => s.busy).length,
      queued: this.#queue.length,
      ...this.#stats,
    };
  }

  /**
   * Runs one request of `kind`. Rejects with `BUSY` when the queue is full, `TIMEOUT` after
   * `timeoutMs`, `SHUTTING_DOWN` after `dispose`, or the task's own `InferenceError`.
   */
  run<Output>(kind: string, input: unknown, options: { timeoutMs?: number } = {}): Promise<Output> {
    if (this.#closing) return Promise.reject(new InferenceError('SHUTTING_DOWN', 'the inference pool is shutting down'));
    if (!this.#maxBatch.has(kind)) return Promise.reject(new InferenceError('INTERNAL', `unknown task kind ${kind}`));
    // Idle workers take their batch at once, so only what exceeds their capacity has to wait.
    const idle = this.#slots.filter((s) => !s.busy && !s.retired).length;
    const capacity = idle * Math.min(this.#maxBatch.get(kind)!, this.#options.batchSize);
    if (this.#queue.length >= this.#options.queueLimit + capacity) {
      this.#stats.rejectedBusy++;
      return Promise.reject(new InferenceError('BUSY', `inference queue is full (${this.#options.queueLimit} waiting)`, { queueLimit: this.#options.queueLimit }));
    }
    return new Promise<Output>((resolve, reject) => {
      const request: Request = {
        kind,
        input,
        enqueuedAt: performance.now(),
        resolve: resolve as (value: unknown) => void,
        reject,
        timer: undefined,
        settled: false,
      };
      const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs;
      request.timer = setTimeout(() => this.#timeout(request, timeoutMs), timeoutMs);
      this.#queue.push(request);
      this.#scheduleDispatch();
    });
  }

  /**
   * Stops accepting work, lets queued and running requests finish (up to `graceMs`, then they are
   * rejected with `SHUTTING_DOWN`), releases the workers' sessions and ends the threads.
   */
  async dispose(graceMs = this.#options.timeoutMs): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#queue.length > 0 || this.#slots.some((s) => s.busy)) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.#drained = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    clearTimeout(this.#batchTimer);
    for (const request of this.#queue.splice(0)) this.#settle(request, new InferenceError('SHUTTING_DOWN', 'the inference pool was disposed'));
    for (const slot of this.#slots) for (const request of slot.batch ?? []) this.#settle(request, new InferenceError('SHUTTING_DOWN', 'the inference pool was disposed'));
    await Promise.allSettled(this.#slots.map((s) => s.stop()));
    this.#slots.length = 0;
  }

  /**
   * Dispatches once the current task is done: requests arriving in the same tick (a resolver
   * fanning out, a burst) are then all queued, and are shared out together rather than one by one.
   */
  #scheduleDispatch(): void {
    if (this.#dispatchScheduled) return;
    this.#dispatchScheduled = true;
    queueMicrotask(() => {
      this.#dispatchScheduled = false;
      this.#dispatch();
    });
  }

  #dispatch(): void {
    clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
    for (const slot of this.#slots) {
      if (slot.busy || slot.retired || this.#queue.length === 0) continue;
      const first = this.#queue[0]!;
      const limit = Math.min(this.#maxBatch.get(first.kind) ?? 1, this.#options.batchSize);
      const sameKind = this.#queue.filter((r) => r.kind === first.kind);
      const waited = performance.now() - first.enqueuedAt;
      const idle = this.#slots.filter((s) => !s.busy && !s.retired).length;
      if (limit > 1 && idle === 1 && sameKind.length < limit && waited < this.#options.batchWaitMs) {
        // The last free worker holds a short while for companions: one model run on a batch beats
        // several single runs. While other workers are free, waiting would only add latency.
        this.#batchTimer = setTimeout(() => this.#dispatch(), Math.max(0, this.#options.batchWaitMs - waited));
        return;
      }
      // Shared out among the free workers: a burst of 8 on two workers goes as 4 + 4, not 1 + 7
      // (which a closed loop of clients would then keep, one worker cycling through single runs).
      const batch = sameKind.slice(0, Math.min(limit, Math.ceil(sameKind.length / idle)));
      for (const r of batch) this.#queue.splice(this.#queue.indexOf(r), 1);
      void this.#runBatch(slot, batch);
    }
    if (this.#closing && this.#queue.length === 0 && !this.#slots.some((s) => s.busy)) this.#drained?.();
  }

  async #runBatch(slot: Slot, batch: Request[]): Promise<void> {
    slot.busy = true;
    slot.batch = batch;
    this.#stats.batches++;
    try {
      const outcomes = await slot.run(batch[0]!.kind, batch.map((r) => r.input));
      batch.forEach((request, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) this.#settle(request, undefined, outcome.value);
        else this.#settle(request, InferenceError.from(outcome?.error ?? new InferenceError('INTERNAL', 'no outcome for request')));
      });
    } catch (error) {
      for (const request of batch) this.#settle(request, InferenceError.from(error));
    } finally {
      slot.busy = false;
      slot.batch = undefined;
      this.#dispatch();
    }
  }

  #settle(request: Request, error: InferenceError | undefined, value?: unknown): void {
    if (request.settled) return;
    request.settled = true;
    clearTimeout(request.timer);
    if (error) {
      this.#stats.failed++;
      request.reject(error);
    } else {
      this.#stats.completed++;
      request.resolve(value);
    }
  }

  #timeout(request: Request, timeoutMs: number): void {
    if (request.settled) return;
    this.#stats.timedOut++;
    const queued = this.#queue.indexOf(request);
    if (queued >= 0) this.#queue.splice(queued, 1);
    this.#settle(request, new InferenceError('TIMEOUT', `inference did not finish within ${timeoutMs} ms`, { timeoutMs }));
    const slot = this.#slots.find((s) => s.batch?.includes(request));
    if (slot) {
      // The result will be dropped; a worker that does not come back at all is replaced.
      setTimeout(() => {
        if (slot.batch?.includes(request) && !this.#closing) void this.#replace(slot, new InferenceError('TIMEOUT', 'worker wedged, replaced'));
      }, STUCK_GRACE_MS).unref();
    }
  }

  #warn(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    this.#options.warn(message);
  }

  async #replace(slot: Slot, reason: InferenceError): Promise<void> {
    const index = this.#slots.indexOf(slot);
    if (index < 0 || slot.retired) return;
    slot.retired = true;
    for (const request of slot.batch ?? []) this.#settle(request, reason);
    slot.batch = undefined;
    await slot.kill();
    if (this.#closing) {
      this.#slots.splice(this.#slots.indexOf(slot), 1);
      this.#dispatch();
      return;
    }
    this.#stats.workerRestarts++;
    try {
      const fresh = await this.#startWorker();
      const at = this.#slots.indexOf(slot);
      if (this.#closing || at < 0) {
        await fresh.kill();
        return;
      }
      this.#slots[at] = fresh;
    } catch (error) {
      this.#warn(`inference worker could not be restarted: ${InferenceError.from(error).message}`);
      this.#slots.splice(this.#slots.indexOf(slot), 1);
      if (this.#slots.length === 0) {
        for (const request of this.#queue.splice(0)) this.#settle(request, new InferenceError('WORKER_CRASHED', 'no inference worker left'));
      }
    }
    this.#dispatch();
  }

  #startWorker(): Promise<Slot> {
    const data: WorkerData = FROM_SOURCES
      ? { config: this.#options.config, taskModules: this.#options.taskModules, entry: WORKER_ENTRY.href }
      : { config: this.#options.config, taskModules: this.#options.taskModules };
    const worker = new Worker(FROM_SOURCES ? BOOTSTRAP : WORKER_ENTRY, { workerData: data, stdout: false, stderr: false });
    let nextBatch = 1;
    const pending = new Map<number, { resolve: (o: readonly WireOutcome[]) => void; reject: (e: InferenceError) => void }>();
    let exited = false;
    let onDisposed: (() => void) | undefined;

    return new Promise<Slot>((resolveStart, rejectStart) => {
      let started = false;
      const slot: Slot = {
        busy: false,
        retired: false,
        batch: undefined,
        run: (kind, inputs) =>
          new Promise((resolve, reject) => {
            const batchId = nextBatch++;
            pending.set(batchId, { resolve, reject });
            worker.postMessage({ type: 'run', batchId, kind, inputs } satisfies ToWorker);
          }),
        stop: async () => {
          if (exited) return;
          const disposed = new Promise<void>((resolve) => (onDisposed = resolve));
          worker.postMessage({ type: 'dispose' } satisfies ToWorker);
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([disposed, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
          clearTimeout(timer);
          await worker.terminate();
        },
        kill: async () => {
          if (!exited) await worker.terminate();
        },
      };
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            for (const { kind, maxBatch } of message.kinds) this.#maxBatch.set(kind, maxBatch);
            started = true;
            resolveStart(slot);
            break;
          case 'failed':
            rejectStart(InferenceError.from(message.error));
            void worker.terminate();
            break;
          case 'warning':
            this.#warn(message.message);
            break;
          case 'result':
            pending.get(message.batchId)?.resolve(message.outcomes);
            pending.delete(message.batchId);
            break;
          case 'disposed':
            onDisposed?.();
            break;
        }
      });
      worker.on('error', (error) => {
        if (!started) rejectStart(InferenceError.from(error));
      });
      worker.on('exit', (code) => {
        exited = true;
        const crash = new InferenceError('WORKER_CRASHED', `inference worker exited with code ${code}`, { exitCode: code });
        for (const p of pending.values()) p.reject(crash);
        pending.clear();
        if (!started) rejectStart(crash);
        else if (!this.#closing && !slot.retired) void this.#replace(slot, crash);
      });
    });
  }

  async #startLocal(): Promise<Slot> {
    const tasks: LoadedTasks = await loadTasks(this.#options.taskModules, { config: this.#options.config, warn: (m) => this.#warn(m) });
    for (const { definition } of tasks.instances.values()) this.#maxBatch.set(definition.kind, definition.maxBatch);
    return {
      busy: false,
      retired: false,
      batch: undefined,
      run: async (kind, inputs) => {
        const instance = tasks.instances.get(kind)!.instance;
        try {
          const results = await instance.run(inputs);
          return results.map((r) => (r instanceof Error ? { ok: false as const, error: InferenceError.from(r).toJSON() } : { ok: true as const, value: r }));
        } catch (error) {
          const wire = InferenceError.from(error).toJSON();
          return inputs.map(() => ({ ok: false as const, error: wire }));
        }
      },
      stop: () => tasks.dispose(),
      kill: () => tasks.dispose(),
    };
  }
}
