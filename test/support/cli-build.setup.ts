import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The compiled CLI (`scripts/cli.js`) of this test run; see {@link setup}. */
    idgraphCli: string;
  }
}

const root = join(import.meta.dirname, '..', '..');

/**
 * Vitest global setup of the CLI tests: compiles the current sources once, as `npm run build` does, before any CLI test
 * file runs. Each test file in its own fork would otherwise have `bin/idgraph.js` rebuild a missing or stale `dist/`,
 * and two tsc runs writing one directory let a child import a half-written file. The build goes to a directory of this
 * run (under node_modules/.cache, so the compiled files resolve the project's packages and find its `.models`), which
 * neither another run nor a rebuild of `dist/` can touch; the tests reach it through `inject('idgraphCli')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cacheDir = join(root, 'node_modules', '.cache');
  await mkdir(cacheDir, { recursive: true });
  const outDir = await mkdtemp(join(cacheDir, 'idgraph-cli-'));
  const cli = join(outDir, 'scripts', 'cli.js');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const report = await promisify(execFile)(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    () => '',
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
  );
  // tsc still emits when it finds type errors (`npm test` type-checks on its own first); only a missing CLI stops the run.
  if (!existsSync(cli)) {
    await rm(outDir, { recursive: true, force: true });
    throw new Error(`the CLI did not compile:\n${report}`);
  }
  if (report) process.stderr.write(`CLI tests: the TypeScript build reported errors, running what it emitted:\n${report}\n`);
  project.provide('idgraphCli', cli);
  return () => rm(outDir, { recursive: true, force: true });
}
