#!/usr/bin/env node
// Entry point of `npx idgraph`. npx puts node_modules/.bin first on PATH, so `node` here is the pinned Node 22.
// dist/ is (re)built when it is missing or older than any source file (a stale build would otherwise run silently,
// without the change just made). The check is a stat of each source file: a few milliseconds.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'scripts', 'cli.js');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// What tsconfig.build.json compiles (tests excluded), and the files that configure the build.
const SOURCE_DIRS = ['server', 'resolvers', 'domain', 'inference', 'scripts', 'bench'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** Newest modification time of the build's inputs, in ms; 0 when there are none (an installed package ships dist/ only). */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) visit(join(root, dir));
  if (newest === 0) return 0;
  for (const file of CONFIG_FILES) if (existsSync(join(root, file))) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}

const built = existsSync(cli) ? statSync(cli).mtimeMs : 0;
if (built === 0 || (existsSync(tsc) && newestSource() > built)) {
  process.stderr.write(built === 0 ? 'idgraph: building dist/ …\n' : 'idgraph: sources changed since the last build, rebuilding dist/ …\n');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
  } catch (error) {
    // tsc still emits when it finds type errors; run that output, but say so loudly.
    if (!existsSync(cli)) throw error;
    process.stderr.write('idgraph: the TypeScript build reported errors (above); running what it emitted\n');
  }
}
await import(cli);
