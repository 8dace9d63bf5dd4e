import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The `idgraph` bin script (it rebuilds a stale dist/ before running the CLI). */
export const IDGRAPH_BIN = fileURLToPath(new URL('../../bin/idgraph.js', import.meta.url));
const execute = promisify(execFile);

/** The environment without the `IDGRAPH_*` variables that would point a command elsewhere. */
export function cleanCliEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('IDGRAPH_')) delete env[key];
  return env;
}

/**
 * Runs `idgraph <args>` as a user would, in a child process from `cwd`, and parses its stdout as
 * JSON (the commands' `--json` output, errors included); resolves with the exit code too.
 */
export async function runIdgraphJson(cwd: string, args: readonly string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  const outcome = await execute(process.execPath, [IDGRAPH_BIN, ...args], { cwd, env: cleanCliEnv(), maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  return { code: outcome.code, json: JSON.parse(outcome.stdout) as Record<string, unknown> };
}
