import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSample, selfieFrom } from '../fixtures/faces/face-fixtures.js';
import { seedTenant } from '../support/seed.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

const PAGE = `query($first: Int!) {
  sessions(first: $first) {
    totalCount
    edges { node {
      id status scenarioVersion warnings { code }
      scenario { id name }
      steps { kind status warnings { code } captures { id width warnings { code } } }
      faces { id size livenessScore }
    } }
  }
}`;

describe.each(testDrivers('DataLoader query counts'))('DataLoader batching on %s', (driver) => {
  let node: TestNode;
  let token: string;

  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false', IDGRAPH_INFERENCE_WORKERS: '1' });
    const tenant = await seedTenant(node.services.db, 'counts');
    token = tenant.token.secret;
    const em = node.services.db.forTenant(tenant.tenant.id);
    const { scenario } = await node.services.scenarios.create(em, tenant.tenant.id, { name: 'selfie', steps: [{ kind: 'SELFIE' as never }] });
    const photo = await readSample('sample1.jpg');
    const { faces } = await (await node.services.inference.get()).analyzeFaces(photo);
    const selfie = await selfieFrom(photo, faces[0]!.box);
    // Seeded through the same services the API uses: 100 sessions, each with a real capture and its faces.
    for (let i = 0; i < 100; i++) {
      const session = await node.services.sessions.create(node.services.db.forTenant(tenant.tenant.id), tenant.tenant.id, { scenario: { id: scenario.id } });
      await node.services.captures.addCapture({ tenantId: tenant.tenant.id, sessionId: session.id, position: 0, image: selfie });
    }
  }, 240_000);
  afterAll(() => node?.dispose());

  async function queriesFor(first: number): Promise<string[]> {
    const statements: string[] = [];
    node.services.db.onQuery((sql) => statements.push(sql));
    const res = await postGraphQL(node.url, { query: PAGE, variables: { first } }, { authorization: `Bearer ${token}` });
    node.services.db.onQuery(undefined);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.sessions.edges).toHaveLength(first);
    expect(res.body.data.sessions.edges[0].node.steps[0].captures).toHaveLength(1);
    return statements;
  }

  it('costs the same few queries for a page of 100 sessions with nested relations as for a page of 10', async () => {
    await queriesFor(10); // warm: the token's last-use write happens at most once a minute
    const ten = await queriesFor(10);
    const hundred = await queriesFor(100);
    expect(hundred.length).toBe(ten.length);
    // Data reads: token lookup, the page, its count, scenarios, versions, steps, captures, faces.
    const reads = hundred.filter((sql) => /^select (?!set_config)/i.test(sql.trim()));
    console.info(`${driver}: ${hundred.length} statements, ${reads.length} data reads:\n${reads.map((r) => r.slice(0, 90)).join('\n')}`);
    expect(reads.length).toBeLessThanOrEqual(8);
    // The query runs in one transaction: its tenant setting and role are set once, not before every read (which was 23).
    expect(hundred.length).toBeLessThanOrEqual(11);
  });
});
