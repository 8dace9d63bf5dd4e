import type { EntityManager } from '@mikro-orm/sql';
import type { Logger } from 'pino';
import type { Clock } from '../domain/events/clock.js';
import type { EventStreamOptions } from '../domain/events/event-stream.js';
import { Topic, type BusEvent } from '../domain/events/event.types.js';
import type { ApplicantClaims } from '../domain/tokens/applicant-token.js';
import type { TokenCreator, TokenPrincipal } from '../domain/tokens/token.service.js';
import type { OperatorPrincipal } from '../domain/users/operator-auth.service.js';
import type { Loaders } from '../resolvers/loaders.js';
import { createLoaders } from '../resolvers/loaders.js';
import { ApiError, ApiErrorCode } from './errors.js';
import type { Services } from './services.js';

/** Who is calling, and until when (`expiresAt`). Anonymous callers reach only public fields. */
export type Principal =
  | { kind: 'anonymous' }
  | ({ kind: 'token' } & TokenPrincipal)
  | ({ kind: 'user' } & OperatorPrincipal)
  | ({ kind: 'applicant' } & ApplicantClaims);

/** A principal that is not anonymous. */
export type AuthenticatedPrincipal = Exclude<Principal, { kind: 'anonymous' }>;

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
  // The loaders read plain rows (no identity map), so they share the request's entity manager and its transaction.
  return { principal, services, logger, client, em, loaders: createLoaders(em) };
}

/**
 * Runs the rest of a query operation's reads in one read-only transaction on the context's entity manager: the
 * tenant setting and the application role are set once at its start (RLS applies as before), instead of each read
 * opening its own short transaction to set them again (four more statements per read, 23 instead of 11 for a page of
 * sessions with nested relations). Returns the function that ends it. Only for queries, whose resolvers read through the
 * context alone: a service that opened another entity manager would wait for PGlite's only connection, held here.
 */
export async function beginReadTransaction(ctx: RequestContext): Promise<(() => Promise<void>) | undefined> {
  const { em } = ctx;
  if (!em) return undefined;
  await em.begin({ readOnly: true });
  // Nothing to commit (a write would already have failed in a read-only transaction); ending it with a rollback
  // skips the flush that `commit()` runs over every entity the request loaded.
  return () => em.rollback();
}

/**
 * Resolves an `Authorization` header value to a principal (anonymous when absent, unknown, expired, revoked or signed
 * out). HTTP calls it per request, WebSocket per operation: a socket's credential is never trusted beyond its life.
 */
export async function resolvePrincipal(authorization: string | undefined, services: Services): Promise<Principal> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!bearer) return { kind: 'anonymous' };
  const now = services.clock.now();
  if (bearer.startsWith('uat_')) {
    const operator = await services.operators.authenticate(bearer, now);
    return operator ? { kind: 'user', ...operator } : { kind: 'anonymous' };
  }
  if (bearer.startsWith('ida_')) {
    const claims = services.applicantTokens.verify(bearer, now);
    return claims ? { kind: 'applicant', ...claims } : { kind: 'anonymous' };
  }
  const token = await services.tokens.authenticate(bearer, now);
  return token ? { kind: 'token', ...token } : { kind: 'anonymous' };
}

/**
 * What a principal may hand on to a partner token it creates (TokenService.create): a partner token its scopes and
 * at most its own remaining life; an operator its role's scopes and any life (the authority is the account, not the
 * 15-minute access token that happens to carry it); an applicant nothing.
 */
export function tokenCreator(principal: AuthenticatedPrincipal): TokenCreator {
  if (principal.kind === 'token') return { scopes: principal.scopes, expiresAt: principal.expiresAt };
  if (principal.kind === 'user') return { scopes: principal.scopes, expiresAt: null };
  return { scopes: [], expiresAt: principal.expiresAt };
}

/**
 * How long a subscription opened by `principal` may run: it ends when the credential it was opened with is revoked
 * (on whichever node revokes it) or expires, read on `clock`. A revocation names a partner token or an operator's
 * sign-in; applicant tokens are not stored, so they only expire.
 */
export function credentialLifetime(principal: AuthenticatedPrincipal, clock: Clock): Pick<EventStreamOptions<BusEvent>, 'stopOn' | 'deadline' | 'clock'> {
  const revocable = principal.kind === 'token' ? principal.tokenId : principal.kind === 'user' ? principal.family : null;
  return {
    stopOn: (event) =>
      event.topic === Topic.TOKEN_REVOKED && revocable !== null && event.tokenId === revocable ? new ApiError(ApiErrorCode.UNAUTHENTICATED, 'the token was revoked') : null,
    deadline: principal.expiresAt ? { at: principal.expiresAt, error: () => new ApiError(ApiErrorCode.UNAUTHENTICATED, 'the token expired') } : undefined,
    clock,
  };
}
