import { InferenceError } from '../inference.errors.js';
import type { TaskContext, TaskDefinition, TaskInstance } from './task.types.js';

/** Task instances of one thread, by kind. */
export interface LoadedTasks {
  readonly instances: ReadonlyMap<string, { definition: TaskDefinition; instance: TaskInstance<unknown, unknown> }>;
  dispose(): Promise<void>;
}

/** Imports task modules and sets every definition up: the same code in workers and in-process. */
export async function loadTasks(moduleUrls: readonly string[], context: TaskContext): Promise<LoadedTasks> {
  const instances = new Map<string, { definition: TaskDefinition; instance: TaskInstance<unknown, unknown> }>();
  try {
    for (const url of moduleUrls) {
      const module = (await import(url)) as { default?: TaskDefinition | TaskDefinition[] };
      const definitions = Array.isArray(module.default) ? module.default : module.default ? [module.default] : [];
      if (definitions.length === 0) throw new InferenceError('INTERNAL', `task module ${url} has no default export of task definitions`);
      for (const definition of definitions) {
        if (instances.has(definition.kind)) throw new InferenceError('INTERNAL', `task kind ${definition.kind} registered twice`);
        instances.set(definition.kind, { definition, instance: await definition.setup(context) });
      }
    }
  } catch (error) {
    await Promise.allSettled([...instances.values()].map((t) => t.instance.dispose()));
    throw error;
  }
  return {
    instances,
    async dispose() {
      await Promise.allSettled([...instances.values()].map((t) => t.instance.dispose()));
    },
  };
}
