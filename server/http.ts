import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GraphQLSchema } from 'graphql';
import processRequest from 'graphql-upload/processRequest.mjs';
import Upload from 'graphql-upload/Upload.mjs';
import type { Logger } from 'pino';
import { isConsolePath, serveConsole } from './console-static.js';
import { createContext, type RequestContext } from './context.js';
import { corsAnswer } from './cors.js';
import { ApiErrorCode, createErrorFormatter } from './errors.js';
import { idempotencyPlugin } from './idempotency.plugin.js';
import { safeLiteralsRule } from './input-guard.js';
import { MAX_DOCUMENT_TOKENS, queryLimitsPlugin, type QueryLimits } from './limits.js';
import { readTransactionPlugin } from './read-transaction.plugin.js';
import { securityHeaders } from './security-headers.js';
import type { Services } from './services.js';
import { graphqlMetricsPlugin } from './metrics/graphql-metrics.plugin.js';
import { isImagePath, serveCaptureImage } from './image.route.js';
import { listen } from './listen.js';

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  schema: GraphQLSchema;
  services: Services;
  logger: Logger;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  introspection: boolean;
  /** Unexpected errors keep their message and stack in answers (IDGRAPH_DEBUG_ERRORS; never in production). */
  debugErrors: boolean;
  /** Origins allowed to call cross-origin; none by default. */
  corsOrigins: readonly string[];
  /** Reached over https (here or at a proxy): answers carry HSTS. */
  https: boolean;
  /** Largest JSON body accepted. @default 1 MiB */
  maxJsonBytes?: number;
  queryLimits: QueryLimits;
  /** Multipart uploads: largest file and most files per request. */
  uploads: { maxFileBytes: number; maxFiles: number };
  /** Routes beside `/graphql` (metrics, signed downloads): the one whose `path` is the request's path answers it. */
  routes?: readonly HttpRoute[];
}

/** An HTTP route of its own beside GraphQL; it answers every refusal as typed JSON itself. */
export interface HttpRoute {
  path: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

/** A running HTTP server; `dispose()` drains in-flight requests, then closes. */
export interface RunningHttpServer {
  url: string;
  server: Server;
  dispose(): Promise<void>;
}

class BodyTooLargeError extends Error {}


/**
 * Serves GraphQL over HTTP at `/graphql` with Apollo Server 5 on Node's own HTTP server, through Apollo's
 * framework-neutral `executeHTTPGraphQLRequest` (no web framework needed; the WebSocket server attaches to the same
 * `server` for subscriptions). CSRF prevention stays on (Apollo's default).
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const log = options.logger.child({ module: 'http' });
  const server = createServer();
  const apollo = new ApolloServer<RequestContext>({
    schema: options.schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: options.debugErrors,
    formatError: createErrorFormatter(log, options.debugErrors),
    // A document's tokens bound the parser's work and its recursion: literals nested thousands of levels deep fail to
    // parse (GRAPHQL_PARSE_FAILED) instead of overflowing the stack of validation later.
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    validationRules: [safeLiteralsRule(options.queryLimits)],
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      // The schema declares no cache hints, yet the default cache-control plugin wraps every resolved field to collect
      // them (about 4% of a page of 100 sessions' CPU); answers are marked uncacheable below instead.
      ApolloServerPluginCacheControlDisabled(),
      queryLimitsPlugin(options.schema, options.queryLimits),
      idempotencyPlugin(options.services.idempotency),
      readTransactionPlugin(),
      graphqlMetricsPlugin(options.services.metrics),
    ],
    logger: log,
  });
  await apollo.start();

  const maxJsonBytes = options.maxJsonBytes ?? 1024 * 1024;
  server.on('request', (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'request failed');
      if (!res.headersSent) sendError(res, 500, ApiErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
      else res.end();
    });
  });
  // Node answers malformed HTTP (a bad request line, headers over the size limit) itself, with an empty body: ours is
  // typed like every other refusal.
  server.on('clientError', (error: Error & { code?: string }, socket) => {
    if (!socket.writable || (error.code === 'ECONNRESET')) {
      socket.destroy();
      return;
    }
    const [status, message] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request headers too large'] : [400, 'Malformed HTTP request'];
    const body = JSON.stringify({ errors: [{ message, extensions: { code: status === 431 ? ApiErrorCode.PAYLOAD_TOO_LARGE : ApiErrorCode.BAD_REQUEST } }] });
    socket.end(`HTTP/1.1 ${status} ${message}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    for (const [key, value] of Object.entries(securityHeaders(url.pathname, options.https))) res.setHeader(key, value);
    const cors = corsAnswer(options.corsOrigins, req.method, req.headers.origin);
    for (const [key, value] of Object.entries(cors.headers)) res.setHeader(key, value);
    const route = options.routes?.find((r) => r.path === url.pathname);
    if (route) {
      await route.handle(req, res, url);
      return;
    }
    if (isConsolePath(url.pathname)) {
      await serveConsole(req, res, url.pathname);
      return;
    }
    if (isImagePath(url.pathname)) return serveCaptureImage(req, res, url.pathname, options.services.images);
    if (url.pathname !== '/graphql') {
      sendError(res, 404, ApiErrorCode.NOT_FOUND, 'not found: GraphQL is served at /graphql');
      return;
    }
    if (cors.preflight === 'allowed') {
      res.statusCode = 204;
      res.end();
      return;
    }
    if (cors.preflight === 'refused') {
      sendError(res, 403, ApiErrorCode.FORBIDDEN, 'cross-origin requests from this origin are not allowed', { reason: 'ORIGIN_NOT_ALLOWED' });
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    try {
      // GraphQL multipart request spec: the operations come in a form field, files stream as Upload promises.
      if (isMultipart(req)) {
        body = await processRequest(req, res, { maxFileSize: options.uploads.maxFileBytes + 1, maxFiles: options.uploads.maxFiles });
        await filesArriving(body);
      } else if (req.method === 'POST' && !isJsonUtf8(req.headers['content-type'])) {
        // GraphQL over HTTP §7.1: a POST body is application/json (UTF-8) or, for uploads, multipart/form-data.
        sendError(res, 415, ApiErrorCode.BAD_REQUEST, 'POST bodies are application/json (UTF-8) or multipart/form-data', { reason: 'UNSUPPORTED_MEDIA_TYPE' });
        return;
      } else {
        body = await readJsonBody(req, maxJsonBytes);
      }
    } catch (error) {
      if (isHttpError(error)) {
        sendJson(res, error.status, { errors: [{ message: error.message, extensions: multipartErrorExtensions(error, options.uploads.maxFiles) }] });
      } else if (error instanceof BodyTooLargeError) {
        sendError(res, 413, ApiErrorCode.PAYLOAD_TOO_LARGE, 'Request body too large');
      } else {
        sendError(res, 400, ApiErrorCode.BAD_REQUEST, 'Body is not valid JSON');
      }
      return;
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search: url.search, body };
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () =>
        createContext({
          authorization: req.headers.authorization,
          client: { ip: req.socket.remoteAddress ?? null, userAgent: req.headers['user-agent'] ?? null },
          services: options.services,
          logger: log,
        }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    // Answers carry tenants' personal data: no shared or browser cache may keep them (what Apollo's plugin said).
    if (!response.headers.has('cache-control')) res.setHeader('cache-control', 'no-store');
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  const origin = await listen(server, options.port, options.host);
  return {
    url: `${origin}/graphql`,
    server,
    async dispose() {
      await apollo.stop();
    },
  };
}

/** Reads a JSON body up to `limit` bytes; an empty body (GET) is `undefined`. */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  // Apollo decides what to do with non-JSON bodies (it answers 400/415 with a proper message).
  return type.includes('json') ? JSON.parse(text) : text;
}

/** `application/json` (or the GraphQL response type's sibling `application/graphql+json`), UTF-8 or without charset. */
function isJsonUtf8(contentType: string | undefined): boolean {
  const [type, ...parameters] = (contentType ?? '').toLowerCase().split(';').map((part) => part.trim());
  if (type !== 'application/json' && type !== 'application/graphql+json') return false;
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/**
 * Waits until every file the multipart map names has begun to arrive (graphql-upload resolves an upload at its part's
 * head, so nothing is buffered for this). A map naming a part that is never sent is refused here, as a typed 400, rather
 * than failing inside a resolver. The walk is iterative: `operations` is the client's JSON.
 */
async function filesArriving(operations: unknown): Promise<void> {
  const pending: unknown[] = [operations];
  const uploads: Promise<unknown>[] = [];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value instanceof Upload) uploads.push(value.promise);
    else if (value !== null && typeof value === 'object') pending.push(...Object.values(value));
  }
  await Promise.all(uploads);
}

function isMultipart(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

/** graphql-upload rejects malformed multipart requests with `http-errors` (status + safe message). */
function isHttpError(error: unknown): error is Error & { status: number } {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number' && (error as { expose?: boolean }).expose === true;
}

/**
 * Typed codes for graphql-upload's refusals. Too many files is the caller's input (BAD_USER_INPUT, reason
 * TOO_MANY_FILES, like the query limits); graphql-upload tells it apart only by its message, which the upload test pins.
 */
function multipartErrorExtensions(error: Error & { status: number }, maxFiles: number): Record<string, unknown> {
  if (error.status === 413 && /max file uploads exceeded/.test(error.message)) {
    return { code: ApiErrorCode.BAD_USER_INPUT, reason: 'TOO_MANY_FILES', maxFiles };
  }
  return { code: error.status === 413 ? ApiErrorCode.PAYLOAD_TOO_LARGE : ApiErrorCode.BAD_REQUEST };
}

function sendError(res: ServerResponse, status: number, code: ApiErrorCode, message: string, details: Record<string, unknown> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...details } }] });
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(payload));
}
