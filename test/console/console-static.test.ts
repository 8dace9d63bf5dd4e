import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST, serveConsole } from '../../server/console-static.js';
import { startTestNode, type TestNode } from '../support/test-node.js';

/** A raw HTTP request: the path goes out as written (fetch would normalise it). */
function raw(base: string, method: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console served at /console (built by the console project\'s global setup)', () => {
  let node: TestNode;
  let base: string;
  let script: string;
  beforeAll(async () => {
    node = await startTestNode('pglite', { IDGRAPH_SEED_DEMO: 'false' });
    base = node.url.replace(/\/graphql$/, '');
    script = (await readdir(join(CONSOLE_DIST, 'assets'))).find((f) => f.endsWith('.js'))!;
  });
  afterAll(() => node?.dispose());

  it('answers the app at /console/, revalidated each load, under the console CSP', async () => {
    const res = await raw(base, 'GET', '/console/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('<div id="root"></div>');
    expect(res.body).toMatch(/<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js">/);
    // No inline script or style: the CSP forbids both.
    expect(res.body).not.toMatch(/<script(?![^>]*src=)[^>]*>/);
    expect(res.body).not.toContain('<style');
  });

  it('redirects /console to /console/, and answers index.html for the app\'s routes (SPA fallback)', async () => {
    const bare = await raw(base, 'GET', '/console');
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe('/console/');
    const route = await raw(base, 'GET', '/console/sessions/6f1c0a3e-0000-4000-8000-000000000000');
    expect(route.status).toBe(200);
    expect(route.body).toContain('<div id="root"></div>');
  });

  it('serves hashed assets with their type and a year of immutable cache; HEAD has no body', async () => {
    const res = await raw(base, 'GET', `/console/assets/${script}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const head = await raw(base, 'HEAD', `/console/assets/${script}`);
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('answers hostile paths and methods with typed 4xx JSON, never a file outside the console', async () => {
    const cases: [string, string, number, string][] = [
      ['GET', '/console/assets/index-missing.js', 404, 'NOT_FOUND'],
      ['GET', '/console/..%2f..%2fpackage.json', 400, 'MALFORMED_PATH'],
      ['GET', '/console/%2e%2e%2f%2e%2e%2fpackage.json', 400, 'MALFORMED_PATH'],
      ['GET', '/console/assets/..%2f..%2f..%2fserver%2fhttp.ts', 400, 'MALFORMED_PATH'],
      ['GET', '/console/%E0%A4%A', 400, 'MALFORMED_PATH'],
      ['GET', '/console/index.html%00.js', 400, 'MALFORMED_PATH'],
      ['POST', '/console/', 405, 'METHOD_NOT_ALLOWED'],
      ['DELETE', '/console/index.html', 405, 'METHOD_NOT_ALLOWED'],
    ];
    for (const [method, path, status, reason] of cases) {
      const res = await raw(base, method, path);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(res.body).errors[0].extensions.reason).toBe(reason);
      expect(res.body).not.toContain('"name": "idgraph"');
    }
    // Dot segments are resolved by the URL before routing: this is the API's 404, not a file.
    const dotted = await raw(base, 'GET', '/console/../package.json');
    expect(dotted.status).toBe(404);
    expect(JSON.parse(dotted.body).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  describe('before the console is built', () => {
    let empty: string;
    let server: Server;
    let url: string;
    beforeAll(async () => {
      empty = await mkdtemp(join(tmpdir(), 'idgraph-console-'));
      server = createServer((req, res) => void serveConsole(req, res, new URL(req.url ?? '/', 'http://x').pathname, empty));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(empty, { recursive: true, force: true });
    });

    it('says how to build it, as a typed 404', async () => {
      const res = await raw(url, 'GET', '/console/');
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body).errors[0]).toMatchObject({ message: 'the console is not built: run `npm run build`', extensions: { code: 'NOT_FOUND', reason: 'CONSOLE_NOT_BUILT' } });
    });
  });
});
