import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Principal } from './context.js';
import { ApiError, ApiErrorCode } from './errors.js';

/** Requests per minute by kind of caller. */
export interface RateLimits {
  /** Per partner token. @default 1200 */
  token: number;
  /** Per applicant session. @default 120 */
  applicant: number;
  /** Per client IP without credentials. @default 120 */
  anonymous: number;
}

/**
 * Per-caller rate limits (rate-limiter-flexible): in Redis when configured, so the budget is shared by every node; in
 * memory otherwise. A caller over budget gets HTTP 429 with `Retry-After` and `extensions.code: RATE_LIMITED`.
 */
export class RateLimiter {
  private constructor(
    private readonly limiters: Record<keyof RateLimits, RateLimiterAbstract>,
    private readonly redis: Redis | undefined,
  ) {}

  static async create(limits: RateLimits, redisUrl?: string): Promise<RateLimiter> {
    const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 }) : undefined;
    await redis?.connect();
    const make = (key: keyof RateLimits): RateLimiterAbstract =>
      redis
        ? new RateLimiterRedis({ storeClient: redis, points: limits[key], duration: 60, keyPrefix: `idgraph:rl:${key}` })
        : new RateLimiterMemory({ points: limits[key], duration: 60, keyPrefix: key });
    return new RateLimiter({ token: make('token'), applicant: make('applicant'), anonymous: make('anonymous') }, redis);
  }

  /** Spends one request of the caller's budget; throws RATE_LIMITED when none is left. */
  async consume(principal: Principal, clientIp: string): Promise<void> {
    const [kind, key] =
      principal.kind === 'token' ? (['token', principal.tokenId] as const)
      : principal.kind === 'user' ? (['token', `user:${principal.userId}`] as const)
      : principal.kind === 'applicant' ? (['applicant', principal.sessionId] as const)
      : (['anonymous', clientIp] as const);
    try {
      await this.limiters[kind].consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfter = Math.ceil(error.msBeforeNext / 1000);
      throw new ApiError(ApiErrorCode.RATE_LIMITED, `rate limit exceeded: retry in ${retryAfter} s`, {
        retryAfterSeconds: retryAfter,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
      });
    }
  }

  async close(): Promise<void> {
    await this.redis?.quit();
  }
}

