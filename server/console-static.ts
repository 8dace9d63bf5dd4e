import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { ApiErrorCode } from './errors.js';
import { CONSOLE_PATH } from './security-headers.js';

/** Media types of what `vite build` writes. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The repository root: the nearest directory above this file holding package.json (from server/, dist/server/, or a
 * test build under node_modules/.cache).
 */
function repositoryRoot(): string {
  let dir = import.meta.dirname;
  while ((!existsSync(join(dir, 'package.json')) || dir.split(sep).includes('node_modules')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Where `vite build` (npm run build) writes the console. */
export const CONSOLE_DIST = join(repositoryRoot(), 'console', 'dist');

/** Whether a request is the console's (`/console` or below it). */
export function isConsolePath(pathname: string): boolean {
  return pathname === CONSOLE_PATH || pathname.startsWith(`${CONSOLE_PATH}/`);
}

/**
 * Serves the built console (a single-page app) under `/console`: files of `console/dist/`, and `index.html` for every
 * other path (the app's router reads it). Content-hashed assets are cached for a year; `index.html` is revalidated
 * every time, so a new build is picked up at the next load. Only GET and HEAD; a path escaping the directory is 400.
 */
export async function serveConsole(req: IncomingMessage, res: ServerResponse, pathname: string, root = CONSOLE_DIST): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return sendError(res, 405, ApiErrorCode.BAD_REQUEST, 'the console is read with GET or HEAD', 'METHOD_NOT_ALLOWED');
  }
  if (pathname === CONSOLE_PATH) {
    res.statusCode = 308;
    res.setHeader('location', `${CONSOLE_PATH}/`);
    res.end();
    return;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(CONSOLE_PATH.length + 1));
  } catch {
    return sendError(res, 400, ApiErrorCode.BAD_REQUEST, 'malformed path', 'MALFORMED_PATH');
  }
  const file = resolve(root, relative);
  if (relative.includes('\0') || (file !== root && !file.startsWith(root + sep))) {
    return sendError(res, 400, ApiErrorCode.BAD_REQUEST, 'path outside the console', 'MALFORMED_PATH');
  }
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    return sendError(res, 404, ApiErrorCode.NOT_FOUND, 'the console is not built: run `npm run build`', 'CONSOLE_NOT_BUILT');
  }
  const found = await stat(file).then((s) => s.isFile(), () => false);
  const isAsset = found && relative.startsWith('assets/');
  // A missing asset is a 404 (a stale page asking for an old chunk must not get HTML); other paths are the app's routes.
  if (!found && relative.startsWith('assets/')) return sendError(res, 404, ApiErrorCode.NOT_FOUND, 'no such console asset', 'NOT_FOUND');
  const path = found ? file : index;
  const body = await readFile(path);
  res.statusCode = 200;
  res.setHeader('content-type', TYPES[extname(path)] ?? 'application/octet-stream');
  res.setHeader('content-length', body.length);
  res.setHeader('cache-control', isAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendError(res: ServerResponse, status: number, code: ApiErrorCode, message: string, reason: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, reason } }] }));
}
