import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // Vite would pick graphql's ESM build for our sources while type-graphql and Apollo (loaded by Node) get the CJS
  // one: two copies of graphql in one schema fail with "from another module or realm". Node's choice wins here.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'console/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary.reporter.ts'],
    setupFiles: ['reflect-metadata'],
  },
});
