import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { cliEnvironment } from '../support/cli-process.js';
import { testServices } from '../support/services-env.js';

/**
 * The README's first screen, run as printed (issue 18): `npm start`'s first-start banner, then the "First
 * verification" shell block against that server, whose output must be the one the README shows. The block and the
 * banner are read out of README.md, so the README cannot drift from what works. Only the block's first two lines
 * (the partner token and the URL, which differ per start) are set, to the values this start printed.
 */

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The fenced block right after the HTML comment that starts with `<!-- marker`. */
function readmeBlock(marker: string): string {
  const at = readme.indexOf(`<!-- ${marker}`);
  if (at < 0) throw new Error(`README.md has no <!-- ${marker} … --> comment`);
  const match = /-->\n```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!match) throw new Error(`no fenced block follows <!-- ${marker} … --> in README.md`);
  return match[1]!;
}

/** Sets the one line of `script` that starts with `name=` to `name=value`. */
function assign(script: string, name: string, value: string): string {
  const line = new RegExp(`^${name}=.*$`, 'm');
  const found = script.match(new RegExp(line.source, 'gm')) ?? [];
  if (found.length !== 1) throw new Error(`the README block must set ${name} on exactly one line, found ${found.length}`);
  return script.replace(line, `${name}=${value}`);
}

const hasCurl = (() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (testServices.required) throw new Error('curl is not installed but IDGRAPH_REQUIRE_SERVICES=1: the README first verification cannot run');
    console.warn("[skip] README first verification: curl is not installed (the README's commands use it)");
    return false;
  }
})();

describe.skipIf(!hasCurl)('README first screen', () => {
  let server: ChildProcess;
  let dataDir: string;
  const stdout: string[] = [];
  let url: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'idgraph-readme-'));
    // `npm start` is `npm run build && node dist/scripts/cli.js serve`: this runs the run's one build of the same
    // sources. PORT (the convention) rather than IDGRAPH_PORT, and the pretty logs of a terminal, forced.
    server = spawn(process.execPath, [inject('idgraphCli'), 'serve'], {
      cwd: root,
      env: cliEnvironment({ IDGRAPH_DATA_DIR: dataDir, PORT: '0', IDGRAPH_INFERENCE_WORKERS: '1', IDGRAPH_LOG_FORMAT: 'pretty' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    url = await new Promise<string>((resolve, reject) => {
      let pending = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const line of lines) {
          stdout.push(line);
          const serving = /^idgraph serving GraphQL at (\S+) /.exec(line);
          if (serving) resolve(serving[1]!);
        }
      });
      server.once('exit', (code) => reject(new Error(`idgraph serve exited with ${code}:\n${stdout.join('\n')}\n${stderr}`)));
    });
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('npm start prints the banner the README shows, its lines together, among readable log lines', () => {
    const expected = readmeBlock('first-start banner').trimEnd().split('\n');
    const pattern = (line: string) => new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/…/g, '\\S+')}$`);
    const banner = expected.slice(0, -1);
    const first = stdout.findIndex((line) => pattern(banner[0]!).test(line));
    expect(first, stdout.join('\n')).toBeGreaterThanOrEqual(0);
    banner.forEach((line, i) => expect(stdout[first + i]).toMatch(pattern(line)));
    // The README's default address is the configuration's; this start was given port 0.
    expect(expected.at(-1)).toBe(`idgraph serving GraphQL at http://${loadConfig({}).http.host}:${loadConfig({}).http.port}/graphql (database: pglite)`);
    expect(stdout.find((line) => line.startsWith('idgraph serving'))).toBe(`idgraph serving GraphQL at ${url} (database: pglite)`);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(stdout.some((line) => /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: database migrated/.test(line)), stdout.join('\n')).toBe(true);
    expect(stdout.filter((line) => line.startsWith('{'))).toEqual([]);
  });

  it('the first verification block, run as printed, prints what the README says: SUCCESS, GREEN', async () => {
    const token = /^ {2}partner token: {2}(idg_\S+)$/m.exec(stdout.join('\n'))?.[1];
    expect(token).toBeDefined();
    const printedApi = `http://${loadConfig({}).http.host}:${loadConfig({}).http.port}/graphql`;
    expect(readmeBlock('first-verification')).toContain(`\nAPI=${printedApi}\n`);
    const script = assign(assign(readmeBlock('first-verification'), 'TOKEN', token!), 'API', url);
    const { stdout: printed } = await promisify(execFile)('bash', ['-c', script], { cwd: root, encoding: 'utf8' });
    expect(printed.trimEnd()).toBe(readmeBlock('first-verification output').trimEnd());
  }, 180_000);
});
