import type { MiddlewareFn } from 'type-graphql';
import { LoginLockedError } from '../../domain/users/login-throttle.js';
import type { RequestContext } from '../../server/context.js';
import { ApiError, ApiErrorCode } from '../../server/errors.js';

/** The address a throttle counts a caller by. */
export function clientAddress(ctx: RequestContext): string {
  return ctx.client.ip ?? 'unknown';
}

/**
 * Around every field that checks a credential (login, refresh, TOTP codes). A caller presenting a bearer token has
 * spent that token's request budget in `createContext`, which is larger than an anonymous address's: such a field
 * also spends the address's anonymous budget, so a token buys no extra attempts. A lockout answers HTTP 429 with
 * `Retry-After`, `extensions.code: RATE_LIMITED` and `reason: LOGIN_LOCKED`.
 */
export const CredentialCheck: MiddlewareFn<RequestContext> = async ({ context }, next) => {
  if (context.principal.kind !== 'anonymous') await context.services.rateLimiter.consume({ kind: 'anonymous' }, clientAddress(context));
  try {
    return await next();
  } catch (error) {
    if (!(error instanceof LoginLockedError)) throw error;
    const retryAfter = String(error.retryAfterSeconds);
    throw new ApiError(ApiErrorCode.RATE_LIMITED, error.message, {
      reason: error.code,
      retryAfterSeconds: error.retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', retryAfter]]) },
    });
  }
};
