import { parentPort, workerData } from 'node:worker_threads';
import { InferenceError } from '../inference.errors.js';
import { loadTasks } from './task-loader.js';
import type { FromWorker, ToWorker, WireOutcome, WorkerData } from './task.types.js';

// Entry of one inference worker thread: loads the task modules (and so their model sessions)
// once, then runs batches one at a time. Per-input failures travel back as serialized
// InferenceErrors; anything thrown outside a task crashes the thread and the pool replaces it.

const port = parentPort!;
const data = workerData as WorkerData;
const send = (message: FromWorker) => port.postMessage(message);

try {
  const tasks = await loadTasks(data.taskModules, { config: data.config, warn: (message) => send({ type: 'warning', message }) });
  port.on('message', (message: ToWorker) => {
    if (message.type === 'dispose') {
      void tasks.dispose().then(() => {
        send({ type: 'disposed' });
        port.close();
      });
      return;
    }
    void runBatch(tasks.instances.get(message.kind)?.instance, message.kind, message.inputs).then((outcomes) =>
      send({ type: 'result', batchId: message.batchId, outcomes }),
    );
  });
  send({ type: 'ready', kinds: [...tasks.instances.values()].map(({ definition }) => ({ kind: definition.kind, maxBatch: definition.maxBatch })) });
} catch (error) {
  send({ type: 'failed', error: InferenceError.from(error).toJSON() });
}

async function runBatch(
  instance: { run(inputs: readonly unknown[]): Promise<unknown[]> } | undefined,
  kind: string,
  inputs: readonly unknown[],
): Promise<WireOutcome[]> {
  if (!instance) return inputs.map(() => ({ ok: false, error: new InferenceError('INTERNAL', `unknown task kind ${kind}`).toJSON() }));
  try {
    const results = await instance.run(inputs);
    return results.map((r) => (r instanceof Error ? { ok: false, error: InferenceError.from(r).toJSON() } : { ok: true, value: r }));
  } catch (error) {
    const wire = InferenceError.from(error).toJSON();
    return inputs.map(() => ({ ok: false, error: wire }));
  }
}
