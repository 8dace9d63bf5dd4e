import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { contextFor, resolvePrincipal, type Principal, type RequestContext } from './context.js';
import { createErrorFormatter } from './errors.js';
import type { Services } from './services.js';

/** A running WebSocket endpoint. */
export interface RunningWsServer {
  dispose(): Promise<void>;
}

/**
 * GraphQL over WebSocket (graphql-ws protocol) on the HTTP server's port and path. The socket authenticates once, in
 * `connection_init` (`{ authorization: "Bearer …" }`): an unknown token closes it with 4403 before any operation.
 */
export function startWsServer(options: {
  server: Server;
  schema: GraphQLSchema;
  services: Services;
  logger: Logger;
  /** Messages of unexpected errors reach clients (development only). */
  exposeInternals: boolean;
}): RunningWsServer {
  const log = options.logger.child({ module: 'ws' });
  const wss = new WebSocketServer({ server: options.server, path: '/graphql', maxPayload: 64 * 1024 });
  const formatError = createErrorFormatter(log, options.exposeInternals);
  const principals = new WeakMap<object, { principal: Principal; client: RequestContext['client'] }>();
  const cleanup = useServer<{ authorization?: unknown }>(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const authorization = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : undefined;
        const principal = await resolvePrincipal(authorization, options.services);
        if (principal.kind === 'anonymous') return false;
        const request = ctx.extra.request;
        principals.set(ctx.extra, { principal, client: { ip: request.socket.remoteAddress ?? null, userAgent: request.headers['user-agent'] ?? null } });
        return true;
      },
      // The same typed errors as over HTTP (graphql-ws does not go through Apollo's formatError).
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : undefined,
      // Each operation gets a fresh entity manager and loaders: an identity map must not outlive its operation.
      context: (ctx) => {
        const { principal, client } = principals.get(ctx.extra)!;
        return contextFor(principal, options.services, log, client);
      },
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
