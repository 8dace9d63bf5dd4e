// Lets a worker thread (or a scratch `node --import`) load this project's TypeScript sources
// directly, for tests under vitest, where the pool's worker entry is still a .ts file.
// Two synchronous hooks (node:module registerHooks, Node ≥ 22.15):
// - resolve: sources import siblings as `./x.js` (NodeNext style); when that file does not
//   exist, the `.ts` beside it is used.
// - load: `.ts` files are passed through Node's own type stripper (module.stripTypeScriptTypes),
//   so no flag is needed and the worker's execArgv stays as the parent's. The inference sources
//   therefore use only erasable syntax (no enums, namespaces or parameter properties) and
//   `import type` for types — what `--experimental-strip-types` requires as well.
import { registerHooks, stripTypeScriptTypes } from 'node:module';

const warningFilter = (warning) => warning.name === 'ExperimentalWarning' && /stripTypeScriptTypes|Type Stripping/.test(warning.message);
const emit = process.emitWarning.bind(process);
// The stripper is flagged experimental in Node 22 and would warn once per worker.
process.emitWarning = (warning, ...rest) => {
  const w = typeof warning === 'string' ? { name: typeof rest[0] === 'string' ? rest[0] : rest[0]?.type, message: warning } : warning;
  if (warningFilter(w)) return;
  emit(warning, ...rest);
};

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (/^(\.{1,2}\/|\/|file:)/.test(specifier) && specifier.endsWith('.js')) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
    const loaded = nextLoad(url, { ...context, format: 'module' });
    return { format: 'module', source: stripTypeScriptTypes(String(loaded.source), { mode: 'strip' }), shortCircuit: true };
  },
});
