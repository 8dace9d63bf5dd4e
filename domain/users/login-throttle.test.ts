import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LoginLockedError, LoginThrottle } from './login-throttle.js';

const account = { kind: 'account', id: 'acme:owner@acme.test' } as const;
const ip = { kind: 'ip', id: '192.0.2.7' } as const;

describe('LoginThrottle (in memory)', () => {
  let throttle: LoginThrottle;
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    throttle = await LoginThrottle.create(undefined);
  });
  afterEach(async () => {
    await throttle.close();
    vi.useRealTimers();
  });

  const failTimes = async (n: number) => {
    const lockouts = [];
    for (let i = 0; i < n; i++) lockouts.push(...(await throttle.fail('login', [account, ip])));
    return lockouts;
  };
  const retryAfter = () => throttle.check('login', [account, ip]).then(() => 0, (error: LoginLockedError) => error.retryAfterSeconds);

  it('locks an account for twice as long at each lockout of the day, and forgets after a success', async () => {
    expect(await failTimes(4)).toEqual([]);
    expect(await retryAfter()).toBe(0);
    expect(await failTimes(1)).toEqual([{ subject: account, seconds: 60, count: 1 }]);
    expect(await retryAfter()).toBe(60);
    vi.advanceTimersByTime(30_000);
    expect(await retryAfter()).toBe(30);
    vi.advanceTimersByTime(31_000);
    expect(await retryAfter()).toBe(0);

    expect(await failTimes(5)).toEqual([{ subject: account, seconds: 120, count: 2 }]);
    vi.advanceTimersByTime(121_000);
    expect(await failTimes(5)).toEqual([{ subject: account, seconds: 240, count: 3 }]);
    vi.advanceTimersByTime(241_000);

    expect(await throttle.succeed('login', account)).toEqual({ unlocked: true });
    expect(await throttle.succeed('login', account)).toEqual({ unlocked: false });
    expect(await failTimes(5)).toEqual([{ subject: account, seconds: 60, count: 1 }]);
  });

  it('keeps the address count through an account success, and keeps checks apart', async () => {
    const accounts = Array.from({ length: 50 }, (_, i) => ({ kind: 'account', id: `acme:user${i}@acme.test` }) as const);
    const lockouts = [];
    for (const [i, other] of accounts.entries()) {
      if (i === 25) await throttle.succeed('login', other);
      lockouts.push(...(await throttle.fail('login', [other, ip])));
    }
    expect(lockouts).toEqual([{ subject: ip, seconds: 60, count: 1 }]);
    await expect(throttle.check('login', [{ kind: 'account', id: 'acme:fresh@acme.test' }, ip])).rejects.toBeInstanceOf(LoginLockedError);
    await expect(throttle.check('refresh', [ip])).resolves.toBeUndefined();
    await expect(throttle.check('totp', [ip])).resolves.toBeUndefined();
  });
});
