import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventBus } from '../../domain/events/event-bus.js';
import { Topic } from '../../domain/events/event.types.js';
import type { Inference } from '../../inference/index.js';
import type { RetentionCounts } from '../../domain/retention/retention.service.js';

/** Seconds buckets of GraphQL operations: a cached read in milliseconds up to an upload waiting on inference. */
const OPERATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds buckets of one inference stage (decode, detect, recognize, …). */
const STAGE_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus metrics of one node (prom-client), on a registry of its own so that two nodes in one process (tests)
 * never share counters. Each surface reports through a method here, never through prom-client directly, so names and
 * labels live in one file. A later surface adds its metrics to {@link registry} (e.g. `new Gauge({ name, help,
 * registers: [metrics.registry], collect() {…} })` for the webhook outbox lag and dead deliveries).
 */
export class Metrics {
  /** Every metric of this node; `/metrics` serves exactly this registry. */
  readonly registry = new Registry();
  #inference: Inference | undefined;
  readonly #operations: Histogram<'operation' | 'type' | 'outcome'>;
  readonly #stages: Histogram<'task' | 'stage'>;
  readonly #decided: Counter<'status' | 'by'>;
  readonly #retentionRuns: Counter<'outcome'>;
  readonly #retentionItems: Counter<'action'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'idgraph_' });
    const registers = [this.registry];
    this.#operations = new Histogram({
      name: 'idgraph_graphql_operation_duration_seconds',
      help: 'GraphQL operations over HTTP by operation name, type and outcome (success or the first error code)',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: OPERATION_BUCKETS,
      registers,
    });
    this.#stages = new Histogram({
      name: 'idgraph_inference_stage_duration_seconds',
      help: 'Inference time per task and stage (total includes queueing in the pool)',
      labelNames: ['task', 'stage'],
      buckets: STAGE_BUCKETS,
      registers,
    });
    const pool = () => this.#inference?.stats();
    new Gauge({
      name: 'idgraph_inference_queue_depth',
      help: 'Inference requests waiting for a worker (0 while the pool is not started)',
      registers,
      collect() {
        this.set(pool()?.queued ?? 0);
      },
    });
    new Gauge({
      name: 'idgraph_inference_busy_workers',
      help: 'Inference workers running a batch',
      registers,
      collect() {
        this.set(pool()?.busyWorkers ?? 0);
      },
    });
    this.#decided = new Counter({
      name: 'idgraph_sessions_decided_total',
      help: 'Sessions decided on this node by final status, by the engine or by a manual review',
      labelNames: ['status', 'by'],
      registers,
    });
    this.#retentionRuns = new Counter({
      name: 'idgraph_retention_runs_total',
      help: 'Retention runs by outcome (ran, skipped: another node held the lock, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.#retentionItems = new Counter({
      name: 'idgraph_retention_items_total',
      help: 'What retention runs removed or expired, by action',
      labelNames: ['action'],
      registers,
    });
  }

  /** Records one GraphQL operation. `operation` is already bounded by the caller (see the plugin). */
  observeOperation(labels: { operation: string; type: string; outcome: string }, seconds: number): void {
    this.#operations.observe(labels, seconds);
  }

  /** Records a retention run: `counts` when it ran, `'skipped'` when another node held the lock, `'failed'`. */
  observeRetentionRun(result: RetentionCounts | 'skipped' | 'failed'): void {
    if (typeof result === 'string') {
      this.#retentionRuns.inc({ outcome: result });
      return;
    }
    this.#retentionRuns.inc({ outcome: 'ran' });
    this.#retentionItems.inc({ action: 'session_erased' }, result.sessionsErased);
    this.#retentionItems.inc({ action: 'image_deleted' }, result.imagesDeleted);
    this.#retentionItems.inc({ action: 'session_expired' }, result.sessionsExpired);
    this.#retentionItems.inc({ action: 'session_idled' }, result.sessionsIdled);
  }

  /**
   * The same inference box, recording each answer's stage timings; its pool counters feed the queue gauges. The box
   * already measures its stages (`timings`), so nothing inside `inference/` changes.
   */
  instrumentInference(inference: Inference): Inference {
    this.#inference = inference;
    const stages = this.#stages;
    const observe = (task: string, timings: object) => {
      for (const [stage, ms] of Object.entries(timings)) {
        if (typeof ms === 'number' && Number.isFinite(ms)) stages.observe({ task, stage }, ms / 1000);
      }
    };
    return {
      stats: () => inference.stats(),
      dispose: () => inference.dispose(),
      async analyzeFaces(image, options) {
        const analysis = await inference.analyzeFaces(image, options);
        observe('faces', analysis.timings);
        return analysis;
      },
      async analyzeDocument(image, options) {
        const analysis = await inference.analyzeDocument(image, options);
        observe('document', analysis.timings);
        return analysis;
      },
      async compareFaces(a, b, options) {
        const comparison = await inference.compareFaces(a, b, options);
        observe('compare', { total: comparison.totalMs });
        return comparison;
      },
    };
  }

  /**
   * The same bus, counting the decisions this node publishes. Counting at publication (not subscription) counts each
   * decision once across nodes: with Redis every node receives every event, but only the deciding node publishes it.
   */
  observeBus(bus: EventBus): EventBus {
    const decided = this.#decided;
    return {
      publish: async (event) => {
        await bus.publish(event);
        if (event.topic === Topic.SESSION_DECIDED) decided.inc({ status: event.status, by: 'engine' });
        if (event.topic === Topic.SESSION_REVIEWED) decided.inc({ status: event.status, by: 'review' });
      },
      subscribe: (tenantId, listener) => bus.subscribe(tenantId, listener),
      close: () => bus.close(),
    };
  }
}
