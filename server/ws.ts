import type { Server } from 'node:http';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { createContext, resolvePrincipal, type Principal, type RequestContext } from './context.js';
import { ApiError, ApiErrorCode, createErrorFormatter } from './errors.js';
import { safeLiteralsRule } from './input-guard.js';
import { createOperationAdmission, MAX_DOCUMENT_TOKENS, type QueryLimits } from './limits.js';
import type { Services } from './services.js';
import { SocketCloseCode } from './ws-close-code.js';

/** Limits of GraphQL over WebSocket (configuration `limits.ws`). */
export interface WsLimits {
  /** Operations one socket may run at once. @default 20 */
  maxSubscriptionsPerSocket: number;
  /** Operations one credential may run at once on this node, over all its sockets. @default 100 */
  maxSubscriptionsPerCredential: number;
  /** Sockets one client address may hold open on this node. @default 50 */
  maxSocketsPerIp: number;
  /** Bytes a socket may leave unsent before it is closed as a slow consumer. @default 1 MiB */
  maxBufferedBytes: number;
  /** How long unsent bytes may wait without the client reading any of them. @default 5000 */
  slowClientGraceMs: number;
}

/** A running WebSocket endpoint. */
export interface RunningWsServer {
  dispose(): Promise<void>;
}

/** What a socket keeps from its `connection_init`: the credential is re-checked on every operation, never trusted. */
interface SocketState {
  authorization: string;
  client: RequestContext['client'];
  /** The credential's key (`token:<id>`, `user:<id>`, `applicant:<session>`) its operations count against. */
  credential: string;
}

function credentialKey(principal: Exclude<Principal, { kind: 'anonymous' }>): string {
  if (principal.kind === 'token') return `token:${principal.tokenId}`;
  if (principal.kind === 'user') return `user:${principal.userId}`;
  return `applicant:${principal.sessionId}`;
}

/**
 * GraphQL over WebSocket (graphql-ws protocol) on the HTTP server's port and path. `connection_init`
 * (`{ authorization: "Bearer …" }`) must carry a valid credential, or the socket closes with 4403 before any
 * operation (4429 when the caller's rate limit is spent: the attempt counts as a request). After that every operation is treated like one HTTP request: the credential is resolved again (a
 * revoked, expired or signed-out one answers UNAUTHENTICATED), the caller's rate limit is spent, and the same
 * validation (introspection switch included) and depth/cost limits apply. Running subscriptions end by themselves
 * when their credential is revoked or expires (credentialLifetime in server/context.ts, applied by the event stream).
 */
export function startWsServer(options: {
  server: Server;
  schema: GraphQLSchema;
  services: Services;
  logger: Logger;
  /** Messages of unexpected errors reach clients (IDGRAPH_DEBUG_ERRORS only). */
  debugErrors: boolean;
  /** As over HTTP: `false` refuses `__schema` and `__type`. */
  introspection: boolean;
  queryLimits: QueryLimits;
  limits: WsLimits;
}): RunningWsServer {
  const { schema, services } = options;
  const log = options.logger.child({ module: 'ws' });
  const wss = new WebSocketServer({ server: options.server, path: '/graphql', maxPayload: 64 * 1024 });
  const formatError = createErrorFormatter(log, options.debugErrors);
  const { limits } = options;
  const admit = createOperationAdmission(schema, options.queryLimits);
  // Apollo moves `extensions.http` (status, Retry-After) into the HTTP response; a socket has no such head.
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((e) => {
      const formatted = formatError(e.toJSON(), e);
      const { http: _http, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    });
  const rules = [...specifiedRules, safeLiteralsRule(options.queryLimits), ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  const sockets = new WeakMap<object, SocketState>();
  /** The open sockets of each credential, whose `subscriptions` graphql-ws keeps exact (closed ones are dropped). */
  const socketsByCredential = new Map<string, Set<{ subscriptions: Record<string, unknown> }>>();
  const socketsByIp = new Map<string, number>();
  // Registered before graphql-ws's own handler: a socket over its address's cap is closed before it is read.
  wss.on('connection', (socket, request) => {
    const ip = request.socket.remoteAddress ?? 'unknown';
    const open = (socketsByIp.get(ip) ?? 0) + 1;
    socketsByIp.set(ip, open);
    socket.once('close', () => {
      const left = (socketsByIp.get(ip) ?? 1) - 1;
      if (left > 0) socketsByIp.set(ip, left);
      else socketsByIp.delete(ip);
    });
    if (open > limits.maxSocketsPerIp) socket.close(SocketCloseCode.TooManySockets, 'Too many sockets from this address');
  });
  const cleanup = useServer<{ authorization?: unknown }>(
    {
      schema,
      // Close reasons of internal errors follow our configuration, not graphql-ws's own reading of NODE_ENV.
      isProd: !options.debugErrors,
      onConnect: async (ctx) => {
        const authorization = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : undefined;
        const { request, socket } = ctx.extra;
        const client = { ip: request.socket.remoteAddress ?? null, userAgent: request.headers['user-agent'] ?? null };
        const principal = await resolvePrincipal(authorization, services);
        try {
          // A connection attempt is a request: guessing credentials over sockets spends the same budget as over HTTP.
          await services.rateLimiter.consume(principal, client.ip ?? 'unknown');
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          socket.close(CloseCode.TooManyInitialisationRequests, 'Rate limit exceeded');
          return false;
        }
        if (!authorization || principal.kind === 'anonymous') return false;
        const credential = credentialKey(principal);
        sockets.set(ctx.extra, { authorization, client, credential });
        const peers = socketsByCredential.get(credential) ?? new Set();
        socketsByCredential.set(credential, peers.add(ctx));
        return true;
      },
      onClose: (ctx) => {
        const credential = sockets.get(ctx.extra)?.credential;
        const peers = credential ? socketsByCredential.get(credential) : undefined;
        peers?.delete(ctx);
        if (peers?.size === 0) socketsByCredential.delete(credential!);
      },
      // Returning the execution arguments makes graphql-ws skip its own parse and validation: they happen here.
      onSubscribe: async (ctx, _id, payload) => {
        const socket = sockets.get(ctx.extra)!;
        try {
          // graphql-ws has already entered this operation in `ctx.subscriptions`: the counts include it.
          const onSocket = Object.keys(ctx.subscriptions).length;
          const ofCredential = [...(socketsByCredential.get(socket.credential) ?? [])].reduce((sum, peer) => sum + Object.keys(peer.subscriptions).length, 0);
          if (onSocket > limits.maxSubscriptionsPerSocket || ofCredential > limits.maxSubscriptionsPerCredential) {
            const [scope, max] = onSocket > limits.maxSubscriptionsPerSocket ? ['socket', limits.maxSubscriptionsPerSocket] : ['credential', limits.maxSubscriptionsPerCredential];
            throw new ApiError(ApiErrorCode.RATE_LIMITED, `at most ${max} operations at once per ${scope}`, { reason: 'TOO_MANY_SUBSCRIPTIONS', scope, max });
          }
          const contextValue = await createContext({ ...socket, services, logger: log });
          if (contextValue.principal.kind === 'anonymous') throw new ApiError(ApiErrorCode.UNAUTHENTICATED, 'the credential of this socket is no longer valid');
          const document = parseOperation(payload.query);
          const invalid = validate(schema, document, rules);
          if (invalid.length > 0) return invalid.map((e) => withCode(e, ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED));
          const variableValues = payload.variables ?? undefined;
          admit(contextValue.principal, { document, variables: variableValues, operationName: payload.operationName });
          return { schema, document, variableValues, operationName: payload.operationName, contextValue };
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          // An unexpected failure fails this operation (masked and logged by onError), not the whole socket.
          return [new GraphQLError(error instanceof Error ? error.message : String(error), { originalError: error instanceof Error ? error : undefined })];
        }
      },
      // The same typed errors as over HTTP (graphql-ws does not go through Apollo's formatError).
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
    },
    wss,
  );
  const slowConsumers = watchSlowConsumers(wss, limits, log);
  return {
    async dispose() {
      clearInterval(slowConsumers);
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * Back-pressure on subscriptions. graphql-ws sends one message of a subscription at a time and waits until it is
 * written, and each subscription's event stream holds at most its own bound of events (domain/events/event-stream.ts),
 * so a client that stops reading holds bounded memory; it is still closed (SlowConsumer, which it reads once it reads
 * again) rather than kept forever: when its unsent bytes pass `maxBufferedBytes`, or when they have not gone down for
 * `slowClientGraceMs` (it reads nothing, or less than it is sent). A sweep over the sockets, not a check at each send: a stuck socket sends nothing more.
 */
function watchSlowConsumers(wss: WebSocketServer, limits: WsLimits, log: Logger): NodeJS.Timeout {
  const waiting = new WeakMap<WebSocket, { amount: number; since: number }>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const socket of wss.clients) {
      const amount = socket.bufferedAmount;
      const seen = waiting.get(socket);
      if (amount === 0) {
        waiting.delete(socket);
        continue;
      }
      if (!seen || amount < seen.amount) {
        waiting.set(socket, { amount, since: now });
        if (amount <= limits.maxBufferedBytes) continue;
      }
      if (amount > limits.maxBufferedBytes || now - (seen?.since ?? now) >= limits.slowClientGraceMs) {
        waiting.delete(socket);
        log.warn({ bufferedAmount: amount }, 'closing a slow WebSocket consumer');
        socket.close(SocketCloseCode.SlowConsumer, 'Client reads too slowly');
      }
    }
  }, Math.max(10, Math.min(1000, limits.slowClientGraceMs / 4)));
  timer.unref();
  return timer;
}

/** Parses an operation; a syntax error carries Apollo's code, as over HTTP. */
function parseOperation(query: string) {
  try {
    return parse(query, { maxTokens: MAX_DOCUMENT_TOKENS });
  } catch (error) {
    throw error instanceof GraphQLError ? withCode(error, ApolloServerErrorCode.GRAPHQL_PARSE_FAILED) : error;
  }
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}
