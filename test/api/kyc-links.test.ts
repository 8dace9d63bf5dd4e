import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../support/seed.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

describe.each(testDrivers('one-time links and audit log'))('one-time links and audit log on %s', (driver) => {
  let node: TestNode;
  let a: Awaited<ReturnType<typeof seedTenant>>;
  let b: Awaited<ReturnType<typeof seedTenant>>;
  const as = (token: string | null) => (query: string) =>
    postGraphQL(node.url, { query }, token ? { authorization: `Bearer ${token}` } : {});

  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false' });
    a = await seedTenant(node.services.db, 'links-a');
    b = await seedTenant(node.services.db, 'links-b');
  });
  afterAll(() => node?.dispose());

  it('creates a batch of links; opening one starts a session once, reopening returns it', async () => {
    const partner = as(a.token.secret);
    const scenario = (await partner('{ scenarios { id schemaId } }')).body.data.scenarios[0];
    const batch = (await partner(`mutation { createKycLinks(scenarioId: "${scenario.schemaId}", count: 25, ttlMinutes: 60) { batchId links { token link { id status } } } }`)).body.data.createKycLinks;
    expect(batch.links).toHaveLength(25);
    expect(new Set(batch.links.map((l: { token: string }) => l.token)).size).toBe(25);
    const token = batch.links[0].token;

    const anonymous = as(null);
    const opened = (await anonymous(`mutation { openKycLink(token: "${token}") { applicantToken session { id status steps { kind } } } }`)).body.data.openKycLink;
    expect(opened.session.status).toBe('IN_PROGRESS');
    const again = (await anonymous(`mutation { openKycLink(token: "${token}") { session { id } } }`)).body.data.openKycLink;
    expect(again.session.id).toBe(opened.session.id);
    expect((await as(opened.applicantToken)(`{ session(id: "${opened.session.id}") { id } }`)).body.data.session.id).toBe(opened.session.id);

    const listed = (await partner(`{ kycLinks(batchId: "${batch.batchId}", first: 10) { totalCount pageInfo { hasNextPage } edges { node { status sessionId } } } }`)).body.data.kycLinks;
    expect(listed.totalCount).toBe(25);
    expect(listed.pageInfo.hasNextPage).toBe(true);
    // The whole batch, so the opened link is on the page whatever its place in the order.
    const all = (await partner(`{ kycLinks(batchId: "${batch.batchId}", first: 25) { pageInfo { hasNextPage } edges { node { id status sessionId } } } }`)).body.data.kycLinks;
    expect(all.pageInfo.hasNextPage).toBe(false);
    const openedLinks = all.edges.map((e: { node: unknown }) => e.node).filter((n: { status: string }) => n.status !== 'CREATED');
    expect(openedLinks).toEqual([{ id: batch.links[0].link.id, status: 'OPENED', sessionId: opened.session.id }]);

    expect((await anonymous('mutation { openKycLink(token: "idl_nope") { applicantToken } }')).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await partner(`mutation { createKycLinks(scenarioId: "${scenario.id}", count: 1001) { batchId } }`)).body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_LINK_BATCH' });
    expect((await partner(`mutation { createKycLinks(scenarioId: "${scenario.id}", count: 0) { batchId } }`)).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses an expired link', async () => {
    const scenario = (await as(a.token.secret)('{ scenarios { id } }')).body.data.scenarios[0];
    const { links } = await node.services.kycLinks.createBatch(node.services.db.forTenant(a.tenant.id), a.tenant.id, { scenario: { id: scenario.id }, count: 1, ttlMinutes: 1 }, new Date(Date.now() - 120_000));
    const res = await as(null)(`mutation { openKycLink(token: "${links[0]!.token}") { applicantToken } }`);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'SESSION_FROZEN', reason: 'LINK_EXPIRED' });
  });

  it('keeps links, lists, faces and the audit log of one tenant away from another', async () => {
    const partnerA = as(a.token.secret);
    const partnerB = as(b.token.secret);
    const scenario = (await partnerA('{ scenarios { id } }')).body.data.scenarios[0];
    const batch = (await partnerA(`mutation { createKycLinks(scenarioId: "${scenario.id}", count: 2) { batchId } }`)).body.data.createKycLinks;
    await partnerA('mutation { createApiToken(name: "audited", scopes: ["sessions:read"]) { token { id } } }');
    expect((await partnerB(`{ kycLinks(batchId: "${batch.batchId}") { totalCount } }`)).body.data.kycLinks.totalCount).toBe(0);
    expect((await partnerB(`mutation { createKycLinks(scenarioId: "${scenario.id}", count: 1) { batchId } }`)).body.errors[0].extensions.code).toBe('NOT_FOUND');
    const listsA = (await partnerA('{ faceLists { id } }')).body.data.faceLists.map((l: { id: string }) => l.id);
    const listsB = (await partnerB('{ faceLists { id } }')).body.data.faceLists.map((l: { id: string }) => l.id);
    expect(listsB.filter((id: string) => listsA.includes(id))).toEqual([]);

    const auditA = (await partnerA('{ auditLog(first: 50) { edges { node { action actorType objectType } } } }')).body.data.auditLog.edges.map((e: { node: unknown }) => e.node);
    expect(auditA).toContainEqual({ action: 'token.create', actorType: 'TOKEN', objectType: 'ApiToken' });
    const auditB = (await partnerB('{ auditLog(first: 200) { edges { node { objectId } } } }')).body.data.auditLog.edges.map((e: { node: { objectId: string } }) => e.node.objectId);
    const tokensA = (await partnerA('{ apiTokens { id } }')).body.data.apiTokens.map((t: { id: string }) => t.id);
    expect(auditB.filter((id: string) => tokensA.includes(id))).toEqual([]);
  });
});
