import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRole } from '../../domain/users/user.entity.js';
import { UserService } from '../../domain/users/user.service.js';
import { seedTenant } from '../support/seed.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

const PASSWORD = 'correct horse battery staple';
const LOGIN = 'mutation($t: String!, $e: String!, $p: String!) { login(tenant: $t, email: $e, password: $p) { accessToken } }';
const CREATE = 'mutation($s: [String!]!) { createApiToken(name: "minted", scopes: $s) { secret token { id scopes } } }';
const CREATE_EXPIRING =
  'mutation($s: [String!]!, $e: DateTimeISO) { createApiToken(name: "expiring", scopes: $s, expiresAt: $e) { secret token { expiresAt } } }';

describe('partner tokens over the API: no escalation, last use', () => {
  let node: TestNode;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  const as = (token: string) => (query: string, variables?: Record<string, unknown>) =>
    postGraphQL(node.url, { query, variables }, { authorization: `Bearer ${token}` });
  const signIn = async (email: string) =>
    (await postGraphQL(node.url, { query: LOGIN, variables: { t: tenant.tenant.slug, e: email, p: PASSWORD } })).body.data.login.accessToken as string;

  beforeAll(async () => {
    node = await startTestNode('pglite', { IDGRAPH_SEED_DEMO: 'false' });
    tenant = await seedTenant(node.services.db, 'tokens-api');
    const em = node.services.db.forTenant(tenant.tenant.id);
    await new UserService().create(em, { tenantId: tenant.tenant.id, email: 'operator@tokens.test', password: PASSWORD, role: UserRole.OPERATOR });
  });
  afterAll(() => node?.dispose());

  it('lets a token with tokens:manage grant only scopes it holds itself', async () => {
    const manager = (await as(tenant.token.secret)(CREATE, { s: ['tokens:manage', 'sessions:read'] })).body.data.createApiToken.secret;
    const wider = await as(manager)(CREATE, { s: ['sessions:read', 'sessions:write', 'audit:read'] });
    expect(wider.body.data).toBeNull();
    expect(wider.body.errors[0].extensions).toEqual({ code: 'FORBIDDEN', reason: 'SCOPE_NOT_HELD', scopes: ['sessions:write', 'audit:read'] });
    // Nothing was created by the refused call.
    const names = (await as(tenant.token.secret)('{ apiTokens { name scopes } }')).body.data.apiTokens;
    expect(names.filter((t: { name: string }) => t.name === 'minted')).toHaveLength(1);

    const within = await as(manager)(CREATE, { s: ['sessions:read'] });
    expect(within.body.data.createApiToken.token.scopes).toEqual(['sessions:read']);
  });

  it('bounds operators by their role: an owner grants any scope, an operator cannot manage tokens', async () => {
    const owner = await signIn(tenant.owner.email);
    expect((await as(owner)(CREATE, { s: ['audit:read', 'tokens:manage'] })).body.data.createApiToken.token.scopes).toEqual(['audit:read', 'tokens:manage']);
    const operator = await signIn('operator@tokens.test');
    const denied = await as(operator)(CREATE, { s: ['sessions:read'] });
    expect(denied.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['tokens:manage'] });
  });

  it('lets a token with tokens:manage create only tokens that expire no later than itself', async () => {
    const expires = new Date(Date.now() + 60 * 60_000);
    const manager = (await as(tenant.token.secret)(CREATE_EXPIRING, { s: ['tokens:manage', 'sessions:read'], e: expires.toISOString() })).body.data
      .createApiToken.secret;
    for (const e of [null, new Date(expires.getTime() + 1).toISOString()]) {
      const refused = await as(manager)(CREATE_EXPIRING, { s: ['sessions:read'], e });
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors[0].extensions).toEqual({ code: 'FORBIDDEN', reason: 'OUTLIVES_CREATOR', expiresBy: expires.toISOString() });
    }
    const within = await as(manager)(CREATE_EXPIRING, { s: ['sessions:read'], e: expires.toISOString() });
    expect(within.body.data.createApiToken.token.expiresAt).toBe(expires.toISOString());
    // An operator's authority is the account, not the 15-minute access token carrying it: any life, none included.
    const owner = await signIn(tenant.owner.email);
    expect((await as(owner)(CREATE_EXPIRING, { s: ['sessions:read'], e: null })).body.data.createApiToken.token.expiresAt).toBeNull();
  });

  it('records when a token was last used', async () => {
    const { secret, token } = (await as(tenant.token.secret)(CREATE, { s: ['sessions:read'] })).body.data.createApiToken;
    const lastUse = async () =>
      (await as(tenant.token.secret)('{ apiTokens { id lastUsedAt } }')).body.data.apiTokens.find((t: { id: string }) => t.id === token.id).lastUsedAt;
    expect(await lastUse()).toBeNull();
    const before = Date.now();
    expect((await as(secret)('{ sessions { totalCount } }')).body.errors).toBeUndefined();
    const used = new Date(await lastUse()).getTime();
    expect(used).toBeGreaterThanOrEqual(before - 1000);
    expect(used).toBeLessThanOrEqual(Date.now());
  });
});
