import type { EntityManager } from '@mikro-orm/sql';
import type { Logger } from 'pino';
import type { ApplicantClaims } from '../domain/tokens/applicant-token.js';
import type { TokenPrincipal } from '../domain/tokens/token.service.js';
import type { OperatorPrincipal } from '../domain/users/operator-auth.service.js';
import type { Loaders } from '../resolvers/loaders.js';
import { createLoaders } from '../resolvers/loaders.js';
import type { Services } from './services.js';

/** Who is calling, and until when (`expiresAt`). Anonymous callers reach only public fields. */
export type Principal =
  | { kind: 'anonymous' }
  | ({ kind: 'token' } & TokenPrincipal)
  | ({ kind: 'user' } & OperatorPrincipal)
  | ({ kind: 'applicant' } & ApplicantClaims);

/** Per-request context shared by HTTP and WebSocket (STYLE §3): built once, tenant and scopes never from arguments. */
export interface RequestContext {
  principal: Principal;
  services: Services;
  logger: Logger;
  /** The caller's network address and user agent (recorded on sessions an applicant opens). */
  client: { ip: string | null; userAgent: string | null };
  /** Tenant-scoped entity manager of this request; absent for anonymous callers. */
  em?: EntityManager;
  loaders?: Loaders;
}

/**
 * Builds the context from the `Authorization` header value: `Bearer idg_…` is a partner token, `Bearer uat_…` an
 * operator's access token, `Bearer ida_…` an applicant token. A malformed or unknown token is treated as anonymous; fields that need a principal then answer
 * UNAUTHENTICATED.
 */
export async function createContext(options: {
  authorization: string | undefined;
  client: RequestContext['client'];
  services: Services;
  logger: Logger;
}): Promise<RequestContext> {
  const principal = await resolvePrincipal(options.authorization, options.services);
  await options.services.rateLimiter.consume(principal, options.client.ip ?? 'unknown');
  return contextFor(principal, options.services, options.logger, options.client);
}

/** A context for an already authenticated principal: a fresh tenant-scoped entity manager and fresh loaders. */
export function contextFor(principal: Principal, services: Services, logger: Logger, client: RequestContext['client']): RequestContext {
  if (principal.kind === 'anonymous') return { principal, services, logger, client };
  const em = services.db.forTenant(principal.tenantId);
  // The loaders read through their own fork (same tenant, role and filters): they skip columns the API never returns,
  // and those partly loaded entities must not sit in the identity map the request's services read from.
  return { principal, services, logger, client, em, loaders: createLoaders(em.fork()) };
}

/**
 * Resolves an `Authorization` header value to a principal (anonymous when absent, unknown, expired, revoked or signed
 * out). HTTP calls it per request, WebSocket per operation: a socket's credential is never trusted beyond its life.
 */
export async function resolvePrincipal(authorization: string | undefined, services: Services): Promise<Principal> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!bearer) return { kind: 'anonymous' };
  if (bearer.startsWith('uat_')) {
    const operator = await services.operators.authenticate(bearer);
    return operator ? { kind: 'user', ...operator } : { kind: 'anonymous' };
  }
  if (bearer.startsWith('ida_')) {
    const claims = services.applicantTokens.verify(bearer);
    return claims ? { kind: 'applicant', ...claims } : { kind: 'anonymous' };
  }
  const token = await services.tokens.authenticate(bearer);
  return token ? { kind: 'token', ...token } : { kind: 'anonymous' };
}
