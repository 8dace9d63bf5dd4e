import type { AuthCheckerFn } from 'type-graphql';
import type { Principal, RequestContext } from './context.js';
import { ApiError, ApiErrorCode } from './errors.js';

/** `@Authorized(PUBLIC)`: the field needs no credentials (health). */
export const PUBLIC = 'PUBLIC';
/** `@Authorized(APPLICANT, …)`: an applicant token may call the field (for its own session only, checked by the resolver). */
export const APPLICANT = 'APPLICANT';

/**
 * type-graphql's auth checker. Every field of the API declares what it needs with `@Authorized(...)` (a test fails
 * for a root field without it: default deny). Partner tokens need every listed scope; applicants only reach fields
 * that list APPLICANT.
 */
export const authChecker: AuthCheckerFn<RequestContext> = ({ context }, required) => assertAllowed(context.principal, required);

/** Throws UNAUTHENTICATED or FORBIDDEN unless `principal` may use a field that requires `required`. */
export function assertAllowed(principal: Principal, required: readonly string[]): true {
  if (required.includes(PUBLIC)) return true;
  if (principal.kind === 'anonymous') throw new ApiError(ApiErrorCode.UNAUTHENTICATED, 'a valid bearer token is required');
  if (principal.kind === 'applicant') {
    if (required.includes(APPLICANT)) return true;
    throw new ApiError(ApiErrorCode.FORBIDDEN, 'an applicant token cannot do this');
  }
  const missing = required.filter((scope) => scope !== APPLICANT && !principal.scopes.includes(scope as never));
  if (missing.length > 0) throw new ApiError(ApiErrorCode.FORBIDDEN, `missing scope: ${missing.join(', ')}`, { missingScopes: missing });
  return true;
}
