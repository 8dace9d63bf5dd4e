import type { EntityManager } from '@mikro-orm/sql';
import type { Principal, RequestContext } from '../../server/context.js';
import { ApiError, ApiErrorCode } from '../../server/errors.js';
import type { Loaders } from '../loaders.js';

/** The tenant-scoped part of an authenticated context. */
export interface TenantScope {
  tenantId: string;
  em: EntityManager;
  loaders: Loaders;
  principal: Exclude<Principal, { kind: 'anonymous' }>;
}

/** The caller's tenant scope; only reachable behind `@Authorized`, which already refused anonymous callers. */
export function tenantScope(ctx: RequestContext): TenantScope {
  const { principal, em, loaders } = ctx;
  if (principal.kind === 'anonymous' || !em || !loaders) throw new ApiError(ApiErrorCode.UNAUTHENTICATED, 'a valid bearer token is required');
  return { tenantId: principal.tenantId, em, loaders, principal };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks an opaque id argument before it reaches SQL (a malformed id is the caller's mistake, not a 500). */
export function parseId(value: string, argument: string): string {
  if (!UUID.test(value)) throw new ApiError(ApiErrorCode.BAD_USER_INPUT, `${argument} is not a valid id`, { argument });
  return value.toLowerCase();
}
