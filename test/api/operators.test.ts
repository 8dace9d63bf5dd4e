import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRole } from '../../domain/users/user.entity.js';
import { UserService } from '../../domain/users/user.service.js';
import { seedTenant } from '../support/seed.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

const PASSWORD = 'correct horse battery staple';
const LOGIN = 'mutation($t: String!, $e: String!, $p: String!) { login(tenant: $t, email: $e, password: $p) { accessToken refreshToken operator { email role } } }';

describe('operators: sign-in, roles, refresh rotation', () => {
  let node: TestNode;
  let a: Awaited<ReturnType<typeof seedTenant>>;
  let b: Awaited<ReturnType<typeof seedTenant>>;
  const gql = (query: string, variables?: Record<string, unknown>, token?: string) =>
    postGraphQL(node.url, { query, variables }, token ? { authorization: `Bearer ${token}` } : {});

  beforeAll(async () => {
    node = await startTestNode('pglite', { IDGRAPH_SEED_DEMO: 'false' });
    a = await seedTenant(node.services.db, 'ops-a');
    b = await seedTenant(node.services.db, 'ops-b');
    await new UserService().create(node.services.db.forTenant(a.tenant.id), { tenantId: a.tenant.id, email: 'analyst@a.test', password: PASSWORD, role: UserRole.ANALYST });
  });
  afterAll(() => node?.dispose());

  it('signs the owner in; the access token acts with the role\'s scopes in its tenant only', async () => {
    const login = (await gql(LOGIN, { t: a.tenant.slug, e: a.owner.email, p: PASSWORD })).body.data.login;
    expect(login.operator).toEqual({ email: a.owner.email, role: 'OWNER' });
    expect(login.accessToken).toMatch(/^uat_/);
    const viewer = (await gql('{ viewer { kind role scopes } tenant { slug } }', {}, login.accessToken)).body.data;
    expect(viewer.viewer).toMatchObject({ kind: 'USER', role: 'OWNER' });
    expect(viewer.tenant.slug).toBe(a.tenant.slug);
    const scenarioB = (await gql('{ scenarios { id } }', {}, b.token.secret)).body.data.scenarios[0].id;
    expect((await gql(`{ scenario(id: "${scenarioB}") { id } }`, {}, login.accessToken)).body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('limits an analyst to reading', async () => {
    const { accessToken } = (await gql(LOGIN, { t: a.tenant.slug, e: 'analyst@a.test', p: PASSWORD })).body.data.login;
    expect((await gql('{ sessions { totalCount } }', {}, accessToken)).body.errors).toBeUndefined();
    const denied = await gql('mutation { createScenario(input: { name: "x", steps: [{ kind: SELFIE }] }) { id } }', {}, accessToken);
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await gql('{ apiTokens { id } }', {}, accessToken)).body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('answers every credential problem the same way', async () => {
    for (const [t, e, p] of [
      [a.tenant.slug, a.owner.email, 'wrong password!!'],
      [a.tenant.slug, 'nobody@a.test', PASSWORD],
      ['no-such-tenant', a.owner.email, PASSWORD],
      [b.tenant.slug, a.owner.email, PASSWORD],
    ]) {
      const res = await gql(LOGIN, { t, e, p });
      expect(res.body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
      expect(res.body.errors[0].message).toBe('invalid credentials');
    }
  });

  it('rotates refresh tokens and revokes the family when a spent one comes back', async () => {
    const first = (await gql(LOGIN, { t: a.tenant.slug, e: a.owner.email, p: PASSWORD })).body.data.login;
    const refresh = 'mutation($r: String!) { refreshSession(refreshToken: $r) { accessToken refreshToken } }';
    const second = (await gql(refresh, { r: first.refreshToken })).body.data.refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    // The first token is spent: presenting it again is a theft signal.
    expect((await gql(refresh, { r: first.refreshToken })).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // ...which revoked the family: the second token no longer works either.
    expect((await gql(refresh, { r: second.refreshToken })).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');

    const third = (await gql(LOGIN, { t: a.tenant.slug, e: a.owner.email, p: PASSWORD })).body.data.login;
    expect((await gql('mutation($r: String!) { logout(refreshToken: $r) }', { r: third.refreshToken })).body.data.logout).toBe(true);
    expect((await gql(refresh, { r: third.refreshToken })).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('rejects forged and foreign-kind access tokens', async () => {
    const { accessToken } = (await gql(LOGIN, { t: a.tenant.slug, e: a.owner.email, p: PASSWORD })).body.data.login;
    const forged = `${accessToken.slice(0, -3)}abc`;
    expect((await gql('{ viewer { kind } }', {}, forged)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // An applicant token's payload under the operator prefix does not verify: the MAC covers the kind.
    const session = (await gql(`mutation { createSession(input: { scenarioId: "${(await gql('{ scenarios { id } }', {}, a.token.secret)).body.data.scenarios[0].id}" }) { applicantToken } }`, {}, a.token.secret)).body.data.createSession;
    const swapped = session.applicantToken.replace(/^ida_/, 'uat_');
    expect((await gql('{ viewer { kind } }', {}, swapped)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
