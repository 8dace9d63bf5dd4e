import type { Logger } from 'pino';
import type { Services } from './services.js';

/** A periodic job of a node; `dispose()` stops it and waits for a run in progress. */
export interface RunningJob {
  dispose(): Promise<void>;
}

/**
 * Runs the session sweep (IDLE, then EXPIRED past the deadline) and forgets expired idempotency keys every
 * `intervalMs` on every node. The sweep itself is
 * safe to run concurrently on many nodes (SessionService.sweep), so there is no leader to elect; a run never overlaps
 * the previous one on the same node, and the first run happens at start, which picks up whatever expired while no
 * node was running.
 */
export function startSweepJob(services: Services, logger: Logger, intervalMs = 30_000): RunningJob {
  const log = logger.child({ module: 'sweep' });
  return periodic(intervalMs, () =>
    Promise.all([services.sessions.sweep(), services.idempotency.purgeExpired()])
      .then(([{ expired, idled }, keys]) => {
        if (expired.length || idled.length || keys) log.info({ expired: expired.length, idle: idled.length, idempotencyKeys: keys }, 'swept');
      })
      .catch((error: unknown) => log.error({ err: error }, 'session sweep failed')),
  );
}

/**
 * Builds the per-tenant face indexes of tenants that grew past the threshold, every `intervalMs` (index builds take
 * seconds to minutes, so they stay off the request path and out of the sweep). A run never overlaps the previous one.
 */
export function startFaceIndexJob(services: Services, logger: Logger, intervalMs = 10 * 60_000): RunningJob {
  const log = logger.child({ module: 'face-index' });
  return periodic(intervalMs, () =>
    services.faceIndexes
      .ensureTenantIndexes()
      .then((created) => {
        if (created.length) log.info({ indexes: created }, 'built tenant face indexes');
      })
      .catch((error: unknown) => log.error({ err: error }, 'building tenant face indexes failed')),
  );
}

/**
 * Applies retention every `intervalMs` (RetentionService: one node at a time across the cluster, the others skip).
 * `dispose()` stops a run in progress between two batches rather than waiting for the whole backlog; the next run,
 * here or on another node, carries on.
 */
export function startRetentionJob(services: Services, logger: Logger, intervalMs: number): RunningJob {
  const log = logger.child({ module: 'retention' });
  const stop = new AbortController();
  const job = periodic(intervalMs, () =>
    services.retention
      .run(new Date(), stop.signal)
      .then((run) => {
        services.metrics.observeRetentionRun(run);
        if (run !== 'skipped' && run.tenants > 0) log.info(run, 'retention applied');
      })
      .catch((error: unknown) => {
        services.metrics.observeRetentionRun('failed');
        log.error({ err: error }, 'retention run failed');
      }),
  );
  return {
    async dispose() {
      stop.abort();
      await job.dispose();
    },
  };
}

/** Runs `task` now and then `intervalMs` after each run ends, until disposed (which waits for a run in progress). */
function periodic(intervalMs: number, task: () => Promise<void>): RunningJob {
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = () => {
    running = task().finally(() => {
      if (!stopped) timer = setTimeout(run, intervalMs);
    });
  };
  run();
  return {
    async dispose() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Runs the webhook delivery worker on this node when configured (`IDGRAPH_WEBHOOKS_WORKER`): woken after each
 * commit that recorded deliveries, polling between. Every node may run one; they share the outbox through row locks.
 */
export function startWebhookWorkerJob(services: Services, enabled: boolean): RunningJob {
  return enabled ? services.webhookWorker.start() : { dispose: async () => {} };
}
