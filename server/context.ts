import type { Logger } from 'pino';
import type { TokenPrincipal } from '../domain/tokens/token.service.js';
import type { Services } from './services.js';

/** Who is calling. Anonymous callers reach only public fields. */
export type Principal = { kind: 'anonymous' } | ({ kind: 'token' } & TokenPrincipal);

/** Per-request context shared by HTTP and WebSocket (STYLE §3): built once, never from arguments. */
export interface RequestContext {
  principal: Principal;
  services: Services;
  logger: Logger;
}

/**
 * Builds the context from the `Authorization` header value. A malformed or unknown token is treated as anonymous
 * here; fields that need a principal answer UNAUTHENTICATED.
 */
export async function createContext(options: {
  authorization: string | undefined;
  services: Services;
  logger: Logger;
}): Promise<RequestContext> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(options.authorization ?? '')?.[1];
  const token = bearer ? await options.services.tokens.authenticate(bearer) : null;
  return {
    principal: token ? { kind: 'token', ...token } : { kind: 'anonymous' },
    services: options.services,
    logger: options.logger,
  };
}
