import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { inject, onTestFinished } from 'vitest';

/** What one run of the CLI left behind: its exit code (null when it was killed) and its output. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const root = join(import.meta.dirname, '..', '..');
/** What the CLI's configuration reads (server/config.ts): the test process's own values would point a command elsewhere. */
const CONFIGURATION = /^(IDGRAPH_.*|NODE_ENV|PORT|DATABASE_URL|REDIS_URL)$/;

/** The environment of a CLI child: the test's own without the configuration's variables, plus `env`. */
export function cliEnvironment(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !CONFIGURATION.test(key))), ...env };
}

/**
 * Runs `idgraph <args>` as a user would, in a child process from `cwd` (default: the package root), with the CLI this
 * test run compiled once (test/support/cli-build.setup.ts: no test triggers a build of its own, so none can read a
 * half-written one). The child gets the test's environment without the configuration's variables, plus `env`.
 * Resolves whatever the exit code. Call it inside a test: a child still running when its test ends (a timeout) is
 * killed then, rather than outliving the run.
 */
export async function runIdgraph(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const cli = inject('idgraphCli');
  if (!cli) throw new Error('the CLI is compiled for the test files that vitest.config.ts lists in CLI_TESTS only');
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { cwd: options.cwd ?? root, env: cliEnvironment(options.env), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
    onTestFinished(() => {
      child.kill();
    });
  });
}
