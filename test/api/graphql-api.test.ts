import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../support/seed.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

const SCENARIO_FIELDS = 'id schemaId name version archived settings { sessionLifetimeMinutes allowedAge { min max } checks { code effect threshold } } steps { position kind countries }';
const SESSION_FIELDS = 'id status externalUserId metadata scenarioVersion scenario { id name } steps { position kind status } frozenAt';

describe.each(testDrivers('GraphQL API'))('GraphQL API on %s', (driver) => {
  let node: TestNode;
  let a: Awaited<ReturnType<typeof seedTenant>>;
  let b: Awaited<ReturnType<typeof seedTenant>>;
  const as = (token: string | null) => (query: string, variables?: Record<string, unknown>) =>
    postGraphQL(node.url, { query, variables }, token ? { authorization: `Bearer ${token}` } : {});

  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false' });
    a = await seedTenant(node.services.db, 'api-a');
    b = await seedTenant(node.services.db, 'api-b');
  });
  afterAll(() => node?.dispose());

  it('a partner creates a scenario, opens sessions and pages through them', async () => {
    const partner = as(a.token.secret);
    const created = await partner(
      `mutation($input: ScenarioInput!) { createScenario(input: $input) { ${SCENARIO_FIELDS} } }`,
      {
        input: {
          name: 'Passport + selfie',
          steps: [{ kind: 'DOCUMENT', documentTypes: ['PASSPORT'], countries: ['DEU', 'FRA'] }, { kind: 'SELFIE' }],
          settings: { sessionLifetimeMinutes: 45, allowedAge: { min: 21 }, checks: [{ code: 'FACE_MISMATCH', enabled: true, effect: 'REJECT', threshold: 0.5 }] },
        },
      },
    );
    expect(created.body.errors).toBeUndefined();
    const scenario = created.body.data.createScenario;
    expect(scenario).toMatchObject({
      name: 'Passport + selfie',
      version: 1,
      archived: false,
      settings: { sessionLifetimeMinutes: 45, allowedAge: { min: 21, max: null }, checks: [{ code: 'FACE_MISMATCH', effect: 'REJECT', threshold: 0.5 }] },
      steps: [{ position: 0, kind: 'DOCUMENT', countries: ['DEU', 'FRA'] }, { position: 1, kind: 'SELFIE', countries: [] }],
    });

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await partner(
        `mutation($input: CreateSessionInput!) { createSession(input: $input) { applicantToken session { ${SESSION_FIELDS} } } }`,
        { input: { scenarioId: i % 2 ? scenario.id : scenario.schemaId, externalUserId: `customer-${i}`, metadata: { crm: i } } },
      );
      expect(res.body.errors).toBeUndefined();
      const { session, applicantToken } = res.body.data.createSession;
      expect(applicantToken).toMatch(/^ida_/);
      expect(session).toMatchObject({ status: 'IN_PROGRESS', externalUserId: `customer-${i}`, metadata: { crm: i }, scenarioVersion: 1, scenario: { id: scenario.id } });
      expect(session.steps.map((s: { kind: string }) => s.kind)).toEqual(['DOCUMENT', 'SELFIE']);
      ids.push(session.id);
    }

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { body: any } = await partner(
        `query($after: String) { sessions(first: 2, after: $after, filter: { scenarioId: "${scenario.id}" }) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id steps { kind } } } } }`,
        { after },
      );
      expect(page.body.errors).toBeUndefined();
      const conn = page.body.data.sessions;
      expect(conn.totalCount).toBe(5);
      seen.push(...conn.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('an applicant token reads its own session only and can do nothing else', async () => {
    const scenarios = await as(a.token.secret)('{ scenarios { id } }');
    const scenarioId = scenarios.body.data.scenarios[0].id;
    const make = () => as(a.token.secret)(`mutation { createSession(input: { scenarioId: "${scenarioId}" }) { applicantToken session { id } } }`);
    const mine = (await make()).body.data.createSession;
    const other = (await make()).body.data.createSession;
    const applicant = as(mine.applicantToken);
    expect((await applicant(`{ session(id: "${mine.session.id}") { id status } }`)).body.data.session).toEqual({ id: mine.session.id, status: 'IN_PROGRESS' });
    expect((await applicant(`{ session(id: "${other.session.id}") { id } }`)).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await applicant('{ sessions { totalCount } }')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await applicant('{ scenarios { id } }')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const forged = `${mine.applicantToken.slice(0, -2)}xx`;
    expect((await as(forged)(`{ session(id: "${mine.session.id}") { id } }`)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers typed errors: unauthenticated, missing scope, bad input, not found', async () => {
    expect((await as(null)('{ scenarios { id } }')).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await as('idg_nonsense')('{ scenarios { id } }')).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');

    const readOnly = await node.services.tokens.create(node.services.db.forTenant(a.tenant.id), { tenantId: a.tenant.id, name: 'ro', scopes: ['sessions:read'] });
    const denied = await as(readOnly.secret)('mutation { createScenario(input: { name: "x", steps: [{ kind: SELFIE }] }) { id } }');
    expect(denied.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['scenarios:write'] });

    const partner = as(a.token.secret);
    expect((await partner('{ scenario(id: "not-a-uuid") { id } }')).body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
    expect((await partner('{ scenario(id: "00000000-0000-4000-8000-000000000000") { id } }')).body.errors[0].extensions).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'SCENARIO_NOT_FOUND',
    });
    const invalid = await partner('mutation { createScenario(input: { name: "x", steps: [] }) { id } }');
    expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_SCENARIO' });
    expect(invalid.body.errors[0].extensions.stacktrace).toBeUndefined();
    expect((await partner('{ sessions(first: 1000) { totalCount } }')).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await partner('{ sessions(after: "garbage") { totalCount } }')).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const badSession = await partner('mutation { createSession(input: { scenarioId: "sch_missing" }) { applicantToken } }');
    expect(badSession.body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'SCENARIO_NOT_FOUND' });
  });

  it("isolates tenants: another tenant's token sees and touches nothing of this one", async () => {
    const partnerA = as(a.token.secret);
    const partnerB = as(b.token.secret);
    const scenarioA = (await partnerA('{ scenarios { id schemaId } }')).body.data.scenarios[0];
    const sessionA = (await partnerA(`mutation { createSession(input: { scenarioId: "${scenarioA.id}" }) { session { id } } }`)).body.data.createSession.session;
    const tokensA = (await partnerA('{ apiTokens { id } }')).body.data.apiTokens;

    expect((await partnerB(`{ scenario(id: "${scenarioA.id}") { id } }`)).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await partnerB(`{ session(id: "${sessionA.id}") { id } }`)).body.errors[0].extensions.code).toBe('NOT_FOUND');
    const listB = (await partnerB('{ sessions(first: 100) { edges { node { id } } } }')).body.data.sessions.edges;
    expect(listB.map((e: { node: { id: string } }) => e.node.id)).not.toContain(sessionA.id);
    const scenariosB = (await partnerB('{ scenarios(includeArchived: true) { id } }')).body.data.scenarios.map((s: { id: string }) => s.id);
    expect(scenariosB).not.toContain(scenarioA.id);
    for (const mutation of [
      `mutation { updateScenario(id: "${scenarioA.id}", input: { name: "pwned", steps: [{ kind: SELFIE }] }) { id } }`,
      `mutation { archiveScenario(id: "${scenarioA.id}") { id } }`,
      `mutation { createSession(input: { scenarioId: "${scenarioA.id}" }) { applicantToken } }`,
      `mutation { createSession(input: { scenarioId: "${scenarioA.schemaId}" }) { applicantToken } }`,
      `mutation { revokeApiToken(id: "${tokensA[0].id}") { id } }`,
    ]) {
      expect((await partnerB(mutation)).body.errors[0].extensions.code, mutation).toBe('NOT_FOUND');
    }
    const tokensB = (await partnerB('{ apiTokens { id } }')).body.data.apiTokens.map((t: { id: string }) => t.id);
    expect(tokensB).not.toContain(tokensA[0].id);
    expect((await partnerA(`{ scenario(id: "${scenarioA.id}") { name archived } }`)).body.data.scenario).toMatchObject({ archived: false });
    expect((await partnerA('{ scenarios { id } }')).body.errors).toBeUndefined();
  });

  it('manages partner tokens: the secret once, then list, use and revoke', async () => {
    const partner = as(a.token.secret);
    const created = await partner('mutation { createApiToken(name: "crm", scopes: ["sessions:read"]) { secret token { id prefix scopes revokedAt } } }');
    const { secret, token } = created.body.data.createApiToken;
    expect(secret.startsWith(`idg_${token.prefix}_`)).toBe(true);
    const listed = (await partner('{ apiTokens { id prefix scopes } }')).body.data.apiTokens;
    expect(listed).toContainEqual({ id: token.id, prefix: token.prefix, scopes: ['sessions:read'] });
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect((await as(secret)('{ sessions { totalCount } }')).body.errors).toBeUndefined();
    await partner(`mutation { revokeApiToken(id: "${token.id}") { revokedAt } }`);
    expect((await as(secret)('{ sessions { totalCount } }')).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const unknown = await partner('mutation { createApiToken(name: "x", scopes: ["root"]) { secret } }');
    expect(unknown.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_SCOPE' });
  });
});

describe('Idempotency-Key', () => {
  let node: TestNode;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  beforeAll(async () => {
    node = await startTestNode('pglite', { IDGRAPH_SEED_DEMO: 'false' });
    tenant = await seedTenant(node.services.db, 'idem');
  });
  afterAll(() => node?.dispose());

  it('replays the first answer for a retried creation, refuses the key for another request', async () => {
    const scenarioId = (await postGraphQL(node.url, { query: '{ scenarios { id } }' }, { authorization: `Bearer ${tenant.token.secret}` })).body.data.scenarios[0].id;
    const create = (externalUserId: string, key: string) =>
      fetch(node.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.token.secret}`, 'idempotency-key': key },
        body: JSON.stringify({ query: `mutation { createSession(input: { scenarioId: "${scenarioId}", externalUserId: "${externalUserId}" }) { session { id } } }` }),
      });
    const first = await create('u-1', 'retry-me');
    const firstBody = (await first.json()) as any;
    const second = await create('u-1', 'retry-me');
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as any).data.createSession.session.id).toBe(firstBody.data.createSession.session.id);
    const total = (await postGraphQL(node.url, { query: '{ sessions(filter: { externalUserId: "u-1" }) { totalCount } }' }, { authorization: `Bearer ${tenant.token.secret}` })).body;
    expect(total.data.sessions.totalCount).toBe(1);

    const reused = (await (await create('u-2', 'retry-me')).json()) as any;
    expect(reused.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    // Another tenant's identical key is its own.
    const other = await seedTenant(node.services.db, 'idem-b');
    const otherScenario = (await postGraphQL(node.url, { query: '{ scenarios { id } }' }, { authorization: `Bearer ${other.token.secret}` })).body.data.scenarios[0].id;
    const theirs = await fetch(node.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${other.token.secret}`, 'idempotency-key': 'retry-me' },
      body: JSON.stringify({ query: `mutation { createSession(input: { scenarioId: "${otherScenario}" }) { session { id } } }` }),
    });
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(((await theirs.json()) as any).data.createSession.session.id).not.toBe(firstBody.data.createSession.session.id);
  });

  it('releases the key when the first attempt failed', async () => {
    const send = (scenarioId: string) =>
      fetch(node.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.token.secret}`, 'idempotency-key': 'failed-first' },
        body: JSON.stringify({ query: `mutation { createSession(input: { scenarioId: "${scenarioId}" }) { session { id } } }` }),
      }).then((r) => r.json() as Promise<any>);
    expect((await send('sch_nope')).errors[0].extensions.code).toBe('NOT_FOUND');
    // Same key, same (failing) request: runs again rather than replaying an error.
    expect((await send('sch_nope')).errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
