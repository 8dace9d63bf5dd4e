import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';
import { testDrivers } from '../support/test-database.js';

describe.each(testDrivers('health over HTTP'))('a node on %s', (driver) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode(driver);
  });
  afterAll(() => node?.dispose());

  it('answers the health query over real HTTP', async () => {
    const res = await postGraphQL(node.url, { query: '{ health { status database version } }' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { health: { status: 'ok', database: driver, version: expect.stringMatching(/^\d+\.\d+\.\d+/) } } });
  });

  it('answers a token holder whose query holds the connection in its read transaction (PGlite has only that one)', async () => {
    const res = await postGraphQL(node.url, { query: '{ sessions(first: 1) { totalCount } health { status } }' }, { authorization: `Bearer ${node.demo!.token.secret}` });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.health.status).toBe('ok');
  });

  it('seeds the demo tenant on the first start, and its token authenticates', async () => {
    expect(node.demo?.tenant.slug).toBe('demo');
    const principal = await node.services.tokens.authenticate(node.demo!.token.secret);
    expect(principal?.tenantId).toBe(node.demo!.tenant.id);
  });

  it('answers malformed requests with typed errors, not crashes', async () => {
    const bad = await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');

    const invalid = await postGraphQL(node.url, { query: '{ health { nope } }' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const csrf = await fetch(`${node.url}?query=${encodeURIComponent('{ health { status } }')}`);
    expect(csrf.status).toBe(400); // Apollo's CSRF prevention: a simple GET without a preflight header is refused

    const missing = await fetch(node.url.replace('/graphql', '/nope'));
    expect(missing.status).toBe(404);
  });
});
