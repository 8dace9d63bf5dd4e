import type { Server } from 'node:http';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { createContext, resolvePrincipal, type RequestContext } from './context.js';
import { ApiError, ApiErrorCode, createErrorFormatter } from './errors.js';
import { assertWithinQueryLimits, type QueryLimits } from './limits.js';
import type { Services } from './services.js';

/** A running WebSocket endpoint. */
export interface RunningWsServer {
  dispose(): Promise<void>;
}

/** What a socket keeps from its `connection_init`: the credential is re-checked on every operation, never trusted. */
interface SocketState {
  authorization: string;
  client: RequestContext['client'];
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
  /** Messages of unexpected errors reach clients (development only). */
  exposeInternals: boolean;
  /** As over HTTP: `false` refuses `__schema` and `__type`. */
  introspection: boolean;
  queryLimits: QueryLimits;
}): RunningWsServer {
  const { schema, services } = options;
  const log = options.logger.child({ module: 'ws' });
  const wss = new WebSocketServer({ server: options.server, path: '/graphql', maxPayload: 64 * 1024 });
  const formatError = createErrorFormatter(log, options.exposeInternals);
  // Apollo moves `extensions.http` (status, Retry-After) into the HTTP response; a socket has no such head.
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((e) => {
      const formatted = formatError(e.toJSON(), e);
      const { http: _http, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    });
  const rules = options.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  const sockets = new WeakMap<object, SocketState>();
  const cleanup = useServer<{ authorization?: unknown }>(
    {
      schema,
      // Close reasons of internal errors follow our configuration, not graphql-ws's own reading of NODE_ENV.
      isProd: !options.exposeInternals,
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
        sockets.set(ctx.extra, { authorization, client });
        return true;
      },
      // Returning the execution arguments makes graphql-ws skip its own parse and validation: they happen here.
      onSubscribe: async (ctx, _id, payload) => {
        const socket = sockets.get(ctx.extra)!;
        try {
          const contextValue = await createContext({ ...socket, services, logger: log });
          if (contextValue.principal.kind === 'anonymous') throw new ApiError(ApiErrorCode.UNAUTHENTICATED, 'the credential of this socket is no longer valid');
          const document = parseOperation(payload.query);
          const invalid = validate(schema, document, rules);
          if (invalid.length > 0) return invalid.map((e) => withCode(e, ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED));
          const variableValues = payload.variables ?? undefined;
          assertWithinQueryLimits(schema, options.queryLimits, { document, variables: variableValues, operationName: payload.operationName });
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
  return {
    async dispose() {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Parses an operation; a syntax error carries Apollo's code, as over HTTP. */
function parseOperation(query: string) {
  try {
    return parse(query);
  } catch (error) {
    throw error instanceof GraphQLError ? withCode(error, ApolloServerErrorCode.GRAPHQL_PARSE_FAILED) : error;
  }
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}
