import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { corsAnswer } from '../../server/cors.js';
import { securityHeaders } from '../../server/security-headers.js';
import { startTestNode, type TestNode } from '../support/test-node.js';

const CONSOLE = 'https://console.example';
const HEALTH = JSON.stringify({ query: '{ health { status } }' });

describe('security headers and CORS', () => {
  it('defaults to no cross-origin caller, no HSTS; a bad origin is named', () => {
    expect(loadConfig({}).http).toMatchObject({ corsOrigins: [], https: false, debugErrors: false });
    expect(loadConfig({ NODE_ENV: 'development' }).http.debugErrors).toBe(false);
    expect(loadConfig({ IDGRAPH_CORS_ORIGINS: `${CONSOLE}, http://localhost:5173` }).http.corsOrigins).toEqual([CONSOLE, 'http://localhost:5173']);
    expect(() => loadConfig({ IDGRAPH_CORS_ORIGINS: 'https://console.example/app' })).toThrow(/IDGRAPH_CORS_ORIGINS/);
    expect(corsAnswer([], 'OPTIONS', CONSOLE)).toEqual({ headers: { vary: 'origin' }, preflight: 'refused' });
    expect(securityHeaders('/graphql', false)).not.toHaveProperty('strict-transport-security');
  });

  it('gives the console a same-origin CSP: no inline script or style, no other origin', () => {
    const csp = securityHeaders('/console/sessions', true)['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(securityHeaders('/graphql', true)['content-security-policy']).toMatch(/^default-src 'none'/);
  });

  describe('on a node with an allow-list, behind https', () => {
    let node: TestNode;
    beforeAll(async () => {
      node = await startTestNode('pglite', { IDGRAPH_SEED_DEMO: 'false', IDGRAPH_CORS_ORIGINS: CONSOLE, IDGRAPH_HTTPS: '1' });
    });
    afterAll(() => node?.dispose());

    it('sends the security headers on every answer, refusals included', async () => {
      for (const res of [
        await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: HEALTH }),
        await fetch(new URL('/nowhere', node.url)),
        await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
      ]) {
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
        expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
        expect(res.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
      }
    });

    it('answers a preflight of an allowed origin, refuses one of another, and lets allowed answers be read', async () => {
      const preflight = (origin: string) =>
        fetch(node.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
      const allowed = await preflight(CONSOLE);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(CONSOLE);
      expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
      const refused = await preflight('https://evil.example');
      expect(refused.status).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(((await refused.json()) as any).errors[0].extensions).toEqual({ code: 'FORBIDDEN', reason: 'ORIGIN_NOT_ALLOWED' });

      const read = await fetch(node.url, { method: 'POST', headers: { origin: CONSOLE, 'content-type': 'application/json' }, body: HEALTH });
      expect(read.headers.get('access-control-allow-origin')).toBe(CONSOLE);
      expect(read.headers.get('vary')).toMatch(/origin/i);
      const other = await fetch(node.url, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: HEALTH });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
