import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls at once for an instant already reached', () => {
    const fn = vi.fn();
    systemClock.at(new Date(Date.now() - 1), fn);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("reaches an instant beyond setTimeout's longest delay in several hops, exactly then", () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const thirtyDays = 30 * 24 * 3600_000;
    systemClock.at(new Date(Date.now() + thirtyDays), fn);
    vi.advanceTimersByTime(thirtyDays - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not call once cancelled', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const cancel = systemClock.at(new Date(Date.now() + 1000), fn);
    cancel();
    vi.advanceTimersByTime(2000);
    expect(fn).not.toHaveBeenCalled();
  });
});
