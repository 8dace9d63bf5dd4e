import { createRequire } from 'node:module';

/** Version from package.json, resolved relative to this file both from source and from `dist/`. */
function readVersion(): string {
  const require = createRequire(import.meta.url);
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(path) as { name?: string; version?: string };
      if (pkg.name === 'idgraph' && pkg.version) return pkg.version;
    } catch {
      // not at this depth
    }
  }
  return '0.0.0';
}

/** idgraph's version. */
export const IDGRAPH_VERSION = readVersion();
