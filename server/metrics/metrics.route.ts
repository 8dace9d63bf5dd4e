import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiErrorCode } from '../errors.js';
import type { Metrics } from './metrics.js';
import { listen } from '../listen.js';

/** Where the metrics are served: see `IDGRAPH_METRICS_PORT` and `IDGRAPH_METRICS_TOKEN`. */
export interface MetricsExposure {
  /** Required as `Authorization: Bearer <token>` wherever `/metrics` is served. */
  token?: string;
  /** A listener of its own (not the public port), on the public host unless `host` says otherwise. */
  port?: number;
  host?: string;
}

/**
 * Answers `GET /metrics` in the Prometheus text format when `req` asks for it, and returns whether it did. A missing
 * or wrong bearer token is a typed 401 when a token is configured; the comparison is in constant time.
 */
export async function serveMetrics(metrics: Metrics, token: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendError(res, 405, ApiErrorCode.BAD_REQUEST, 'metrics are read with GET', 'METHOD_NOT_ALLOWED');
    return;
  }
  if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
    res.setHeader('www-authenticate', 'Bearer realm="metrics"');
    sendError(res, 401, ApiErrorCode.UNAUTHENTICATED, 'metrics need the metrics token as a bearer token', 'METRICS_TOKEN_REQUIRED');
    return;
  }
  const body = await metrics.registry.metrics();
  res.statusCode = 200;
  res.setHeader('content-type', metrics.registry.contentType);
  res.setHeader('cache-control', 'no-store');
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** A running metrics listener; `dispose()` closes it. */
export interface RunningMetricsServer {
  url: string;
  dispose(): Promise<void>;
}

/** Serves `/metrics` alone on a port of its own (`IDGRAPH_METRICS_PORT`), e.g. one that only the scraper can reach. */
export async function startMetricsServer(metrics: Metrics, options: { host: string; port: number; token?: string }): Promise<RunningMetricsServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics') {
      sendError(res, 404, ApiErrorCode.NOT_FOUND, 'not found: this port serves /metrics', 'NOT_FOUND');
      return;
    }
    serveMetrics(metrics, options.token, req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, ApiErrorCode.INTERNAL_SERVER_ERROR, 'metrics could not be collected', 'COLLECT_FAILED');
      else res.end();
    });
  });
  const origin = await listen(server, options.port, options.host);
  return {
    url: `${origin}/metrics`,
    dispose: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function bearerMatches(authorization: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  // Hashing first gives both sides one length, which timingSafeEqual needs, without revealing the token's length.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

function sendError(res: ServerResponse, status: number, code: ApiErrorCode, message: string, reason: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, reason } }] }));
}
