import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DomainError } from '../domain-error.js';

/** A credential check refused before it ran: the account or the address is locked out for `retryAfterSeconds`. */
export class LoginLockedError extends DomainError<'LOGIN_LOCKED'> {
  constructor(readonly retryAfterSeconds: number) {
    super('LOGIN_LOCKED', `too many failed attempts: retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

/** The credential checks throttled, each counted apart. */
export type ThrottledCheck = 'login' | 'refresh' | 'totp';
const CHECKS: readonly ThrottledCheck[] = ['login', 'refresh', 'totp'];

/** What is counted: failures of one account (tenant and email, or a user) or of one client address. */
export type ThrottleSubject = { kind: 'account'; id: string } | { kind: 'ip'; id: string };

/** How many failures lock a subject out, and for how long. */
export interface ThrottlePolicy {
  /** Failures within `windowSeconds` that lock the subject out. */
  failures: number;
  /** @default 900 (15 minutes) */
  windowSeconds: number;
  /** The first lockout; each further one within a day doubles it (exponential lockout). @default 60 */
  lockoutSeconds: number;
  /** @default 43200 (12 hours) */
  maxLockoutSeconds: number;
}

/**
 * Account: 5 failures in 15 minutes (OWASP Authentication Cheat Sheet's "account lockout" advice). Address: 50, so one
 * office behind a NAT does not lock itself out, while one client guessing across many accounts is stopped.
 */
export const DEFAULT_THROTTLE: Readonly<Record<ThrottleSubject['kind'], ThrottlePolicy>> = {
  account: { failures: 5, windowSeconds: 900, lockoutSeconds: 60, maxLockoutSeconds: 43_200 },
  ip: { failures: 50, windowSeconds: 900, lockoutSeconds: 60, maxLockoutSeconds: 43_200 },
};

/** Lockouts are counted over a day: the n-th lockout of a day lasts `lockoutSeconds · 2^(n-1)`. */
const LOCKOUT_MEMORY_SECONDS = 86_400;

/** A subject that was just locked out (`fail`), for the audit trail. */
export interface Lockout {
  subject: ThrottleSubject;
  seconds: number;
  /** The how-manieth lockout of the day (1 for the first). */
  count: number;
}

interface Limiters {
  failures: RateLimiterAbstract;
  lockouts: RateLimiterAbstract;
  policy: ThrottlePolicy;
}

/**
 * Throttles credential checks (sign-in, refresh, TOTP codes) per account and per client address, whatever else the
 * request carries: a bearer token buys no extra attempts. Failures are counted in Redis when configured, so every node
 * shares one count; in memory otherwise. A subject over its failure budget is locked out, for twice as long each time
 * within a day; a success on the account clears its count (the address keeps its own, so one good account does not
 * launder a client's guesses at others).
 */
export class LoginThrottle {
  private constructor(
    private readonly limiters: Record<ThrottledCheck, Record<ThrottleSubject['kind'], Limiters>>,
    private readonly redis: Redis | undefined,
  ) {}

  static async create(redisUrl?: string, policy: Readonly<Record<ThrottleSubject['kind'], ThrottlePolicy>> = DEFAULT_THROTTLE): Promise<LoginThrottle> {
    const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 }) : undefined;
    await redis?.connect();
    const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract =>
      redis ? new RateLimiterRedis({ storeClient: redis, points, duration, keyPrefix: `idgraph:throttle:${keyPrefix}` }) : new RateLimiterMemory({ points, duration, keyPrefix });
    const limitersOf = (check: ThrottledCheck, kind: ThrottleSubject['kind']): Limiters => ({
      failures: make(`${check}:${kind}:failures`, policy[kind].failures, policy[kind].windowSeconds),
      lockouts: make(`${check}:${kind}:lockouts`, Number.MAX_SAFE_INTEGER, LOCKOUT_MEMORY_SECONDS),
      policy: policy[kind],
    });
    const limiters = Object.fromEntries(CHECKS.map((check) => [check, { account: limitersOf(check, 'account'), ip: limitersOf(check, 'ip') }]));
    return new LoginThrottle(limiters as Record<ThrottledCheck, Record<ThrottleSubject['kind'], Limiters>>, redis);
  }

  /** Throws {@link LoginLockedError} when any of the subjects is locked out; checks nothing else. */
  async check(check: ThrottledCheck, subjects: readonly ThrottleSubject[]): Promise<void> {
    let retryMs = 0;
    for (const subject of subjects) {
      const { failures, policy } = this.limiters[check][subject.kind];
      const res = await failures.get(subject.id);
      if (res && res.consumedPoints > policy.failures && res.msBeforeNext > 0) retryMs = Math.max(retryMs, res.msBeforeNext);
    }
    if (retryMs > 0) throw new LoginLockedError(Math.ceil(retryMs / 1000));
  }

  /** Counts a failure against each subject; returns the subjects this failure locked out. */
  async fail(check: ThrottledCheck, subjects: readonly ThrottleSubject[]): Promise<Lockout[]> {
    const lockouts: Lockout[] = [];
    for (const subject of subjects) {
      const { failures, lockouts: counted, policy } = this.limiters[check][subject.kind];
      const res = await failures.consume(subject.id).catch((error: unknown) => {
        if (error instanceof RateLimiterRes) return error;
        throw error;
      });
      if (res.remainingPoints > 0) continue;
      const count = (await counted.consume(subject.id)).consumedPoints;
      const seconds = Math.min(policy.lockoutSeconds * 2 ** (count - 1), policy.maxLockoutSeconds);
      // `block` sets the count over the budget until the lockout ends; `check` reads exactly that.
      await failures.block(subject.id, seconds);
      lockouts.push({ subject, seconds, count });
    }
    return lockouts;
  }

  /**
   * A success on the account: its failures and lockouts are forgotten. Returns whether it had been locked out today
   * (the lockout has ended and the account is in use again: the unlock the audit trail records).
   */
  async succeed(check: ThrottledCheck, account: ThrottleSubject & { kind: 'account' }): Promise<{ unlocked: boolean }> {
    const { failures, lockouts } = this.limiters[check].account;
    const unlocked = (await lockouts.get(account.id)) !== null;
    await failures.delete(account.id);
    if (unlocked) await lockouts.delete(account.id);
    return { unlocked };
  }

  async close(): Promise<void> {
    await this.redis?.quit();
  }
}
