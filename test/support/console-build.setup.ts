import { build } from 'vite';
import { join } from 'node:path';

/**
 * Vitest global setup of the console's tests: builds the console (`vite build`, as `npm run build` does) once per run,
 * so the browser tests load what the current sources give and `npm test` works on a fresh clone.
 */
export default async function setup(): Promise<void> {
  // Production mode whatever NODE_ENV the test run has: the bundle served is the one `npm run build` gives.
  await build({ configFile: join(import.meta.dirname, '..', '..', 'console', 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
}
