import { InferenceError } from '../../inference.errors.js';
import { defineTask } from '../task.types.js';

// Task kinds for the pool's own tests (never registered by createInference): they let the tests
// observe batching, hold a worker busy, throw, and kill a worker thread outright.

/** Echoes its input with the size of the batch it ran in. */
export const echo = defineTask<{ value: number }, { value: number; batchSize: number; threadId: number }>({
  kind: 'test.echo',
  maxBatch: 4,
  async setup() {
    const { threadId } = await import('node:worker_threads');
    return {
      run: async (inputs) => inputs.map(({ value }) => ({ value, batchSize: inputs.length, threadId })),
      dispose: async () => {},
    };
  },
});

/** Resolves after `ms` milliseconds. */
export const sleep = defineTask<{ ms: number }, { slept: number }>({
  kind: 'test.sleep',
  maxBatch: 1,
  async setup() {
    return {
      run: async ([input]) => {
        await new Promise((resolve) => setTimeout(resolve, input!.ms));
        return [{ slept: input!.ms }];
      },
      dispose: async () => {},
    };
  },
});

/** Fails with a typed error, or ends the worker thread as a native crash would. */
export const fail = defineTask<{ how: 'throw' | 'exit' }, never>({
  kind: 'test.fail',
  maxBatch: 1,
  async setup() {
    return {
      run: async ([input]) => {
        if (input!.how === 'exit') process.exit(3); // in a worker thread this ends only the thread
        return [new InferenceError('BAD_IMAGE', 'test failure')];
      },
      dispose: async () => {},
    };
  },
});

export default [echo, sleep, fail];
