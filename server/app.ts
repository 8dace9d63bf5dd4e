import type { Logger } from 'pino';
import { buildGraphQLSchema } from '../resolvers/schema.js';
import type { CreatedTenant } from '../domain/tenants/tenant.service.js';
import type { Config } from './config.js';
import { startHttpServer, type HttpRoute } from './http.js';
import { startFaceIndexJob, startRetentionJob, startSweepJob, startWebhookWorkerJob } from './jobs.js';
import { startWsServer } from './ws.js';
import { serveMetrics, startMetricsServer } from './metrics/metrics.route.js';
import { sessionSummaryRoute } from './session-summary.route.js';
import { closeServices, createServices, type Services } from './services.js';

/** A running idgraph node. */
export interface RunningIdgraph {
  url: string;
  services: Services;
  /** `/metrics` on a port of its own, when `IDGRAPH_METRICS_PORT` is set. */
  metricsUrl?: string;
  /** Set on the very first start against an empty database: show it once, it is never shown again. */
  demo?: CreatedTenant;
  /** Stops accepting requests, drains in-flight work, closes the database (reverse order of start). */
  dispose(): Promise<void>;
}

/** Starts one idgraph node: services (database, bus, blobs, inference), the demo tenant on first start, HTTP and WebSocket. */
export async function startIdgraph(config: Config, logger: Logger): Promise<RunningIdgraph> {
  const services = await createServices(config, logger);
  try {
    const demo = config.seedDemoTenant ? await services.tenants.seedDemo() : undefined;
    if (config.inference.preload) await services.inference.get();
    const schema = await buildGraphQLSchema();
    const { budgets, maxStringLength } = config.limits;
    const queryLimits = { maxDepth: config.limits.maxQueryDepth, maxStringLength, budgets: { partner: config.limits.maxQueryComplexity, ...budgets } };
    const http = await startHttpServer({
      schema,
      services,
      logger,
      host: config.http.host,
      port: config.http.port,
      introspection: config.http.introspection,
      debugErrors: config.http.debugErrors,
      corsOrigins: config.http.corsOrigins,
      https: config.http.https,
      uploads: { maxFileBytes: config.limits.maxUploadBytes, maxFiles: config.limits.maxUploadFiles },
      queryLimits,
      routes: [
        ...(config.metrics.token !== undefined && config.metrics.port === undefined
          ? [{ path: '/metrics', handle: (req, res) => serveMetrics(services.metrics, config.metrics.token, req, res) } satisfies HttpRoute]
          : []),
        sessionSummaryRoute(services, logger),
      ],
    });
    const metricsServer = config.metrics.port === undefined ? undefined : await startMetricsServer(services.metrics, { host: config.http.host, port: config.metrics.port, token: config.metrics.token });
    const ws = startWsServer({
      server: http.server,
      schema,
      services,
      logger,
      debugErrors: config.http.debugErrors,
      introspection: config.http.introspection,
      queryLimits,
      limits: config.limits.ws,
    });
    const sweep = startSweepJob(services, logger);
    const faceIndexes = startFaceIndexJob(services, logger);
    const webhookWorker = startWebhookWorkerJob(services, config.webhooks.worker);
    const retention = startRetentionJob(services, logger, config.retention.intervalMs);
    return {
      url: http.url,
      services,
      demo,
      metricsUrl: metricsServer?.url,
      async dispose() {
        await webhookWorker.dispose();
        await retention.dispose();
        await faceIndexes.dispose();
        await sweep.dispose();
        await ws.dispose();
        await http.dispose();
        await metricsServer?.dispose();
        await closeServices(services);
      },
    };
  } catch (error) {
    await closeServices(services);
    throw error;
  }
}
