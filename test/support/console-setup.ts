// The console project's test files: the ones that start a node need the decorators' metadata; under happy-dom,
// reflect-metadata's own module resolution fails, and component tests have no decorators.
if (!('window' in globalThis)) await import('reflect-metadata');
