/**
 * Time as credential checks and event streams read it. The server runs on {@link systemClock}; a test substitutes a
 * clock it moves itself, so a subscription ends at the exact instant its credential expires with no wall-clock race
 * (and no fake system time shared with everything else in the process).
 */
export interface Clock {
  now(): Date;
  /** Calls `fn` once, when the clock reaches `at` (at once if it has); returns what cancels the call. */
  at(at: Date, fn: () => void): () => void;
}

/** setTimeout's longest delay (about 24.8 days); later instants are reached in several hops. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The wall clock. Its timers are unref'd: a pending deadline never keeps the process alive. */
export const systemClock: Clock = {
  now: () => new Date(),
  at(at, fn) {
    let timer: NodeJS.Timeout | undefined;
    const hop = () => {
      const left = at.getTime() - Date.now();
      if (left <= 0) return fn();
      timer = setTimeout(hop, Math.min(left, MAX_TIMER_MS)).unref();
    };
    hop();
    return () => clearTimeout(timer);
  },
};
