import { systemClock, type Clock } from './clock.js';
import type { EventBus } from './event-bus.js';
import type { BusEvent } from './event.types.js';

/** Raised into a stream whose consumer fell too far behind (it is closed rather than buffering without bound). */
export class StreamOverflowError extends Error {
  constructor(readonly limit: number) {
    super(`the subscriber fell more than ${limit} events behind`);
    this.name = 'StreamOverflowError';
  }
}

/** Options of {@link eventStream}. */
export interface EventStreamOptions<T extends BusEvent> {
  /** Keeps the events of interest (and narrows their type). */
  accept: (event: BusEvent) => event is T;
  /** An event that ends the stream with the returned error (e.g. the subscriber's token was revoked). */
  stopOn?: (event: BusEvent) => Error | null;
  /** Events buffered for a slow consumer before the stream fails. @default 1000 */
  maxBuffered?: number;
  /** A time at which the stream ends with the returned error, whatever arrives (e.g. the subscriber's token expires). */
  deadline?: { at: Date; error: () => Error };
  /** What tells when the deadline is reached. @default systemClock */
  clock?: Clock;
}

/**
 * Turns a tenant subscription into an async iterator, as graphql-ws subscriptions consume them. The subscription is
 * taken before the iterator is returned (no event published after the call is missed) and released when the
 * consumer stops (`return()`), fails, or the stream is stopped.
 */
export async function eventStream<T extends BusEvent>(bus: EventBus, tenantId: string, options: EventStreamOptions<T>): Promise<AsyncIterableIterator<T>> {
  const limit = options.maxBuffered ?? 1000;
  const buffer: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let failWaiting: ((error: Error) => void) | null = null;
  let failure: Error | null = null;
  let done = false;
  let cancelDeadline: (() => void) | undefined;

  const finish = async (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      cancelDeadline?.();
      buffer.length = 0;
      await unsubscribe();
      waiting?.({ value: undefined, done: true });
      waiting = failWaiting = null;
    }
    return { value: undefined, done: true };
  };
  const fail = (error: Error) => {
    if (done || failure) return;
    // A consumer already waiting gets the error now; otherwise its next call does, once.
    if (failWaiting) failWaiting(error);
    else failure = error;
    waiting = failWaiting = null;
    void finish();
  };

  const unsubscribe = await bus.subscribe(tenantId, (event) => {
    if (done) return;
    const stop = options.stopOn?.(event);
    if (stop) return fail(stop);
    if (!options.accept(event)) return;
    if (waiting) {
      const resolve = waiting;
      waiting = failWaiting = null;
      resolve({ value: event, done: false });
    } else if (buffer.length >= limit) {
      fail(new StreamOverflowError(limit));
    } else {
      buffer.push(event);
    }
  });

  const { deadline } = options;
  if (deadline && !done) cancelDeadline = (options.clock ?? systemClock).at(deadline.at, () => fail(deadline.error()));

  const iterator: AsyncIterableIterator<T> = {
    next(): Promise<IteratorResult<T>> {
      if (buffer.length > 0) return Promise.resolve({ value: buffer.shift()!, done: false });
      if (failure) {
        const error = failure;
        failure = null;
        return Promise.reject(error);
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = resolve;
        failWaiting = reject;
      });
    },
    return: finish,
    throw: async (error?: unknown) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
