import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../support/seed.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

const PASSWORD = 'correct horse battery staple';
const LOGIN = 'mutation($t: String!, $e: String!, $p: String!) { login(tenant: $t, email: $e, password: $p) { accessToken } }';

const CREATE_SCENARIO = 'mutation { createScenario(input: { name: "idem", steps: [{ kind: SELFIE }] }) { id } }';
const CREATE_TOKEN = 'mutation { createApiToken(name: "idem", scopes: ["sessions:read"]) { secret token { id } } }';
const createLinks = (scenarioId: string) => `mutation { createKycLinks(scenarioId: "${scenarioId}", count: 2) { batchId links { token link { id } } } }`;

describe.each(testDrivers('Idempotency-Key per caller'))('Idempotency-Key: per caller, sealed at rest, on %s', (driver) => {
  let node: TestNode;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  let scenarioId: string;
  /** A second partner token of the same tenant, with every scope the mutations below need. */
  let colleague: string;
  /** The tenant's owner, signed in. */
  let operator: string;

  /** Sends a mutation with an `Idempotency-Key`; `replayed` tells whether the answer came from the store. */
  async function send(token: string, key: string, query: string) {
    const res = await fetch(node.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify({ query }),
    });
    return { replayed: res.headers.get('idempotent-replayed') === 'true', body: (await res.json()) as any };
  }

  /** Every stored answer's bytes, as the database holds them. */
  async function storedAnswers(): Promise<{ principal: string; sealed: Buffer | null }[]> {
    const rows = await node.services.db.orm.em.fork().execute<{ principal: string; sealed_response: Buffer | Uint8Array | null }[]>(
      'select principal, sealed_response from idempotency_record',
    );
    return rows.map((r) => ({ principal: r.principal, sealed: r.sealed_response ? Buffer.from(r.sealed_response) : null }));
  }

  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false' });
    tenant = await seedTenant(node.services.db, 'idem-caller');
    const auth = { authorization: `Bearer ${tenant.token.secret}` };
    scenarioId = (await postGraphQL(node.url, { query: '{ scenarios { id } }' }, auth)).body.data.scenarios[0].id;
    const scopes = '["scenarios:write", "links:write", "tokens:manage", "sessions:read"]';
    colleague = (await postGraphQL(node.url, { query: `mutation { createApiToken(name: "colleague", scopes: ${scopes}) { secret } }` }, auth)).body.data
      .createApiToken.secret;
    operator = (await postGraphQL(node.url, { query: LOGIN, variables: { t: tenant.tenant.slug, e: tenant.owner.email, p: PASSWORD } })).body.data.login.accessToken;
  });
  afterAll(() => node?.dispose());

  it.each([
    ['createScenario', 'key-scenario', () => CREATE_SCENARIO, (d: any) => d.createScenario.id],
    ['createKycLinks', 'key-links', () => createLinks(scenarioId), (d: any) => d.createKycLinks.links.map((l: any) => l.token).join(',')],
    ['createApiToken', 'key-token', () => CREATE_TOKEN, (d: any) => d.createApiToken.secret],
  ])('%s: the same caller gets its first answer again; other callers with the same key get their own', async (_name, key, query, identity) => {
    const first = await send(tenant.token.secret, key, query());
    expect(first.body.errors).toBeUndefined();
    expect(first.replayed).toBe(false);
    const again = await send(tenant.token.secret, key, query());
    expect(again.replayed).toBe(true);
    expect(again.body).toEqual(first.body);

    // Same tenant, same key, same request, another caller: it runs for them, nothing of the first answer comes back.
    for (const other of [colleague, operator]) {
      const theirs = await send(other, key, query());
      expect(theirs.replayed).toBe(false);
      expect(theirs.body.errors).toBeUndefined();
      expect(identity(theirs.body.data)).not.toBe(identity(first.body.data));
    }
  });

  it('refuses a caller without the scope, even with a key whose answer is stored', async () => {
    const reader = (
      await postGraphQL(
        node.url,
        { query: 'mutation { createApiToken(name: "reader", scopes: ["sessions:read"]) { secret } }' },
        { authorization: `Bearer ${tenant.token.secret}` },
      )
    ).body.data.createApiToken.secret;
    expect((await send(tenant.token.secret, 'key-forbidden', CREATE_TOKEN)).body.errors).toBeUndefined();
    const denied = await send(reader, 'key-forbidden', CREATE_TOKEN);
    expect(denied.replayed).toBe(false);
    expect(denied.body).toEqual({ data: null, errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })] });
  });

  it('keeps no secret in plain text at rest', async () => {
    const minted = await send(tenant.token.secret, 'key-at-rest', CREATE_TOKEN);
    const links = await send(tenant.token.secret, 'key-at-rest-links', createLinks(scenarioId));
    const secrets = [minted.body.data.createApiToken.secret, ...links.body.data.createKycLinks.links.map((l: any) => l.token)] as string[];
    const stored = await storedAnswers();
    expect(stored.length).toBeGreaterThanOrEqual(2);
    for (const { principal, sealed } of stored) {
      expect(principal).toMatch(/^(token|user):[0-9a-f-]{36}$/);
      expect(sealed!.includes('"data"')).toBe(false); // not the JSON answer
      // Not the random part of any secret either (the visible prefix is public).
      for (const secret of secrets) expect(sealed!.includes(secret.slice(-43))).toBe(false);
    }
    // What is stored still replays.
    expect((await send(tenant.token.secret, 'key-at-rest', CREATE_TOKEN)).body).toEqual(minted.body);
  });
});
