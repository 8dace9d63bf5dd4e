import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { contextFor, resolvePrincipal, type Principal } from './context.js';
import type { Services } from './services.js';

/** A running WebSocket endpoint. */
export interface RunningWsServer {
  dispose(): Promise<void>;
}

/**
 * GraphQL over WebSocket (graphql-ws protocol) on the HTTP server's port and path. The socket authenticates once, in
 * `connection_init` (`{ authorization: "Bearer …" }`): an unknown token closes it with 4403 before any operation.
 */
export function startWsServer(options: { server: Server; schema: GraphQLSchema; services: Services; logger: Logger }): RunningWsServer {
  const log = options.logger.child({ module: 'ws' });
  const wss = new WebSocketServer({ server: options.server, path: '/graphql', maxPayload: 64 * 1024 });
  const principals = new WeakMap<object, Principal>();
  const cleanup = useServer<{ authorization?: unknown }>(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const authorization = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : undefined;
        const principal = await resolvePrincipal(authorization, options.services);
        if (principal.kind === 'anonymous') return false;
        principals.set(ctx.extra, principal);
        return true;
      },
      // Each operation gets a fresh entity manager and loaders: an identity map must not outlive its operation.
      context: (ctx) => contextFor(principals.get(ctx.extra)!, options.services, log),
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
