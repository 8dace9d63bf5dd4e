import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The operators' console and the applicants' page: one single-page app served by idgraph at /console (server/
 * console-static.ts). `npx vite --config console/vite.config.ts` serves it with hot reload at :5173/console/ and
 * proxies GraphQL (HTTP and WebSocket) to an idgraph on :4000 (IDGRAPH_URL to point elsewhere).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  // React's automatic JSX runtime, compiled by Vite's own oxc (no Babel plugin).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One chunk of ~215 KB gzip (React, Mantine, Apollo): under the first-load goal of docs/BENCHMARKS.md.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      // Mantine marks its modules "use client" (React Server Components): meaningless in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: { '/graphql': { target: process.env.IDGRAPH_URL ?? 'http://127.0.0.1:4000', ws: true } },
  },
});
