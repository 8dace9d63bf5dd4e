#!/usr/bin/env node
// Entry point of `npx idgraph`. npx puts node_modules/.bin first on PATH, so `node` here is the pinned Node 22.
// A fresh clone has no dist/ yet: build it once, then run the compiled CLI.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'scripts', 'cli.js');
if (!existsSync(cli)) {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
}
await import(cli);
