import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** Tests that run the command line in child processes: they share one build of the CLI (test/support/cli-build.setup.ts). */
const CLI_TESTS = ['scripts/commands/*.test.ts', 'test/cli/**/*.test.ts', 'test/readme/**/*.test.ts'];
/** The console's component tests and the tests that drive its build in a browser (test/support/console-build.setup.ts). */
const CONSOLE_TESTS = ['console/src/**/*.test.tsx', 'test/console/**/*.test.ts'];

export default defineConfig({
  // Vite would pick graphql's ESM build for our sources while type-graphql and Apollo (loaded by Node) get the CJS
  // one: two copies of graphql in one schema fail with "from another module or realm". Node's choice wins here.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    exclude: ['node_modules/**', 'dist/**', 'console/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary.reporter.ts'],
    setupFiles: ['reflect-metadata'],
    // A project of its own for the CLI tests, because a project's global setup runs only when one of its files is
    // queued: running any other test file does not pay for compiling the CLI.
    projects: [
      { extends: true, test: { name: 'idgraph', include: ['**/*.test.ts'], exclude: [...CLI_TESTS, ...CONSOLE_TESTS, 'node_modules/**', 'dist/**', 'console/**'] } },
      { extends: true, test: { name: 'cli', include: CLI_TESTS, globalSetup: ['./test/support/cli-build.setup.ts'] } },
      // Component tests pick happy-dom per file (`// @vitest-environment happy-dom`); React's automatic JSX runtime.
      { extends: true, oxc: { jsx: { runtime: 'automatic' } }, test: { name: 'console', include: CONSOLE_TESTS, globalSetup: ['./test/support/console-build.setup.ts'] } },
    ],
  },
});
