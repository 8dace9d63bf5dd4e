import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../support/seed.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

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
  afterAll(() => node?.dispose());

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
  });
});
