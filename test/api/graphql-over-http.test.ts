import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../support/test-node.js';

/**
 * The GraphQL over HTTP spec's server audits (graphql-http), run against the live server. The audits query
 * `{ __typename }` anonymously, which the API answers like any public field.
 */
describe('GraphQL over HTTP conformance', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode('pglite', { IDGRAPH_SEED_DEMO: 'false' });
  });
  afterAll(() => node?.dispose());

  it('passes every MUST audit', async () => {
    const results = await auditServer({ url: node.url, fetchFn: fetch });
    const failedMusts = results.filter((r) => r.name.startsWith('MUST') && r.status !== 'ok').map((r) => `${r.name}: ${r.status === 'ok' ? '' : r.reason}`);
    expect(failedMusts).toEqual([]);
    const shoulds = results.filter((r) => r.name.startsWith('SHOULD'));
    console.info(`graphql-http audits: ${results.filter((r) => r.status === 'ok').length}/${results.length} ok; SHOULD not ok: ${shoulds.filter((r) => r.status !== 'ok').length}`);
  });
});
