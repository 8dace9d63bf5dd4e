// Worker entry used when the pool runs from TypeScript sources (vitest): registers the
// type-stripping hooks, then imports the real worker entry named in workerData.entry.
// From dist/ the pool starts dist/inference/pool/inference.worker.js directly and this file is unused.
import './typescript-hooks.mjs';
import { workerData } from 'node:worker_threads';

await import(workerData.entry);
