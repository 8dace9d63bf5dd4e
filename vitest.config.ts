import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC instead of the default transform: type-graphql and MikroORM read decorator metadata,
// which only a transform with `emitDecoratorMetadata` produces.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'console/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    setupFiles: ['reflect-metadata'],
  },
});
