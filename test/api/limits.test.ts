import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { seedTenant } from '../support/seed.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

/** Operations over graphql-ws: one socket per token, kept for the suite. */
function wsClients(url: () => string) {
  const clients = new Map<string, Client>();
  return {
    /** Runs one operation: its first result, or the errors it was refused with. */
    async run(token: string, query: string): Promise<{ result?: { data?: any; errors?: any[] }; refused?: any[] }> {
      let client = clients.get(token);
      if (!client) {
        // Not lazy: one socket (one connection_init, which spends one request) for all the token's operations.
        client = createClient({ url: url().replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false });
        clients.set(token, client);
      }
      const iterator = client.iterate({ query });
      try {
        const first = await iterator.next();
        await iterator.return?.();
        return { result: first.value as { data?: any; errors?: any[] } };
      } catch (errors) {
        return { refused: errors as any[] };
      }
    },
    dispose: () => Promise.all([...clients.values()].map((c) => c.dispose())),
  };
}

describe('request limits', () => {
  let node: TestNode;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  beforeAll(async () => {
    node = await startTestNode('pglite', {
      IDGRAPH_SEED_DEMO: 'false',
      IDGRAPH_MAX_QUERY_DEPTH: '6',
      IDGRAPH_MAX_QUERY_COMPLEXITY: '300',
      IDGRAPH_RATE_LIMIT_ANONYMOUS: '5',
      IDGRAPH_RATE_LIMIT_TOKEN: '1000',
    });
    tenant = await seedTenant(node.services.db, 'limits');
  });
  const ws = wsClients(() => node.url);
  afterAll(async () => {
    await ws.dispose();
    await node?.dispose();
  });

  const partner = (query: string) => postGraphQL(node.url, { query }, { authorization: `Bearer ${tenant.token.secret}` });

  it('refuses a query nested deeper than the limit, fragments included', async () => {
    const ok = await partner('{ sessions { edges { node { steps { warnings { code } } } } } }');
    expect(ok.body.errors).toBeUndefined();
    const viaFragment = await partner('query { ...A } fragment A on Query { sessions { edges { node { ...B } } } } fragment B on Session { steps { warnings { params } } faces { id } }');
    expect(viaFragment.body.errors).toBeUndefined();
    const tooDeepViaFragment = await partner('query { ...S } fragment S on Query { __schema { types { ...F } } } fragment F on __Type { fields { type { ofType { ofType { name } } } } }');
    expect(tooDeepViaFragment.body.errors[0].extensions).toMatchObject({ reason: 'QUERY_TOO_DEEP', depth: 7 });
    const deeper = await partner('{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }');
    expect(deeper.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_DEEP', maxDepth: 6 });
  });

  it('refuses a query whose estimated cost is over the limit (pages cost their size)', async () => {
    expect((await partner('{ sessions(first: 10) { edges { node { id status } } } }')).body.errors).toBeUndefined();
    const costly = await partner('{ sessions(first: 100) { totalCount edges { cursor node { id status warnings { code } steps { kind } } } } }');
    expect(costly.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX', maxComplexity: 300 });
  });

  it('applies the same depth and cost limits over graphql-ws', async () => {
    const ok = await ws.run(tenant.token.secret, '{ sessions(first: 10) { edges { node { steps { warnings { code } } } } } }');
    expect(ok.result?.errors).toBeUndefined();
    const deep = await ws.run(tenant.token.secret, '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }');
    expect(deep.refused).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_DEEP', depth: 8, maxDepth: 6 } })]);
    const costly = await ws.run(tenant.token.secret, '{ sessions(first: 100) { totalCount edges { cursor node { id status warnings { code } steps { kind } } } } }');
    expect(costly.refused).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX', maxComplexity: 300 }) })]);
  });

  it('answers 429 with Retry-After once an anonymous client spent its budget', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ health { status } }' }) });
      statuses.push(last.status);
      if (last.status === 429) break;
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await last!.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
    // A token has its own budget.
    expect((await partner('{ health { status } }')).status).toBe(200);

    // The same IP's connection attempts over WebSocket spend that budget too (credential guessing).
    let closedWith: (code: number) => void;
    const closed = new Promise<number>((resolve) => (closedWith = resolve));
    const anonymous = createClient({
      url: node.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: 'Bearer idg_guessguessgu_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
      retryAttempts: 0,
      on: { closed: (event) => closedWith((event as { code: number }).code) },
    });
    await expect(anonymous.iterate({ query: '{ health { status } }' }).next()).rejects.toBeTruthy();
    expect(await closed).toBe(4429);
    await anonymous.dispose();
  });
});

describe('production node: introspection off, unexpected errors masked, per-token budgets', () => {
  let node: TestNode;
  const ws = wsClients(() => node.url);
  beforeAll(async () => {
    node = await startTestNode('pglite', {
      NODE_ENV: 'production',
      IDGRAPH_MASTER_KEY: randomBytes(32).toString('hex'),
      IDGRAPH_SEED_DEMO: 'false',
      IDGRAPH_INTROSPECTION: 'false',
      IDGRAPH_RATE_LIMIT_TOKEN: '5',
    });
  });
  afterAll(async () => {
    await ws.dispose();
    await node?.dispose();
  });
  /** Each test spends the budget of a tenant of its own. */
  const freshToken = async () => (await seedTenant(node.services.db, 'prod')).token.secret;
  const send = (token: string, query: string) =>
    fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });

  it('refuses introspection over HTTP and over graphql-ws', async () => {
    const token = await freshToken();
    const http = await postGraphQL(node.url, { query: '{ __schema { queryType { name } } }' }, { authorization: `Bearer ${token}` });
    expect(http.status).toBe(400);
    expect(http.body.errors[0]).toMatchObject({ message: expect.stringMatching(/introspection/i), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(http.body.data).toBeUndefined();
    const socket = await ws.run(token, '{ __type(name: "Query") { name } }');
    expect(socket.refused).toEqual([expect.objectContaining({ message: expect.stringMatching(/introspection/i), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    // Only introspection is refused.
    expect((await ws.run(token, '{ health { status } __typename }')).result?.data).toEqual({ health: { status: 'ok' }, __typename: 'Query' });
  });

  it('masks an unexpected error: a generic message, INTERNAL_SERVER_ERROR, no stack trace, over HTTP and WebSocket', async () => {
    const token = await freshToken();
    const leak = 'connection to db-7.internal:5432 failed for user app_owner';
    const failing = vi.spyOn(node.services.scenarios, 'list').mockRejectedValue(new Error(leak));
    try {
      const http = await send(token, '{ scenarios { id } }');
      const text = await http.text();
      expect(JSON.parse(text).errors).toEqual([
        { message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['scenarios'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ]);
      expect(text).not.toContain('db-7.internal');
      expect(text).not.toContain('stacktrace');
      const socket = await ws.run(token, '{ scenarios { id } }');
      expect(socket.result?.errors).toEqual([
        { message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['scenarios'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ]);
      expect(failing).toHaveBeenCalledTimes(2);
    } finally {
      failing.mockRestore();
    }
    // A failure before the operation runs (here: resolving the socket's credential) fails that operation alone.
    const authenticate = vi.spyOn(node.services.tokens, 'authenticate').mockRejectedValueOnce(new Error(leak));
    try {
      const refused = await ws.run(token, '{ health { status } }');
      expect(refused.refused).toEqual([{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      expect((await ws.run(token, '{ health { status } }')).result?.data).toEqual({ health: { status: 'ok' } });
    } finally {
      authenticate.mockRestore();
    }
  });

  it('answers 429 with Retry-After once a token spent its budget; another token keeps its own', async () => {
    const token = await freshToken();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await send(token, '{ health { status } }');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const retryAfter = Number(last!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await last!.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter });
    expect((await send(await freshToken(), '{ health { status } }')).status).toBe(200);
  });

  it('spends the same budget over graphql-ws: over it, RATE_LIMITED with the wait and no HTTP head', async () => {
    const token = await freshToken();
    for (let i = 0; i < 2; i++) expect((await send(token, '{ health { status } }')).status).toBe(200);
    // The socket's connection_init is the third request of the five, its first two operations the fourth and fifth.
    for (let i = 0; i < 2; i++) expect((await ws.run(token, '{ health { status } }')).result?.data).toEqual({ health: { status: 'ok' } });
    const refused = await ws.run(token, 'subscription { sessionEvents { kind } }');
    expect(refused.refused).toEqual([
      { message: expect.stringMatching(/^rate limit exceeded/), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } },
    ]);
    // As over HTTP: a whole number of seconds within the 60-second window.
    const { retryAfterSeconds } = refused.refused![0]!.extensions as { retryAfterSeconds: number };
    expect(Number.isInteger(retryAfterSeconds)).toBe(true);
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(refused.refused![0]!.message).toBe(`rate limit exceeded: retry in ${retryAfterSeconds} s`);
    expect((await send(token, '{ health { status } }')).status).toBe(429);
  });
});
