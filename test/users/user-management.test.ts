import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../domain/audit/audit-entry.entity.js';
import type { CreatedTenant } from '../../domain/tenants/tenant.service.js';
import { UserRole } from '../../domain/users/user.entity.js';
import { UserService } from '../../domain/users/user.service.js';
import { untilLive } from '../support/live-subscription.js';
import { seedTenant } from '../support/seed.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase';
const LOGIN = 'mutation($t: String!, $e: String!, $p: String!) { login(tenant: $t, email: $e, password: $p) { accessToken refreshToken operator { id role status } } }';
const INVITE = 'mutation($e: String!, $r: UserRole!) { inviteOperator(input: { email: $e, role: $r }) { operator { id email role status } link { token path expiresAt } } }';
const SET_PASSWORD = 'mutation($t: String!, $p: String!) { setPassword(token: $t, password: $p) { id status } }';
const ROLE = 'mutation($id: ID!, $r: UserRole!) { changeOperatorRole(id: $id, role: $r) { id role } }';
const DISABLE = 'mutation($id: ID!) { disableOperator(id: $id) { id status } }';
const ENABLE = 'mutation($id: ID!) { enableOperator(id: $id) { id status } }';
const RESET = 'mutation($id: ID!) { resetOperatorPassword(id: $id) { operator { id } link { token expiresAt } } }';

type Body = { data?: any; errors?: { message: string; extensions: { code: string; reason?: string } }[] };

describe.each(testDrivers('operator management'))('operator management (%s)', (driver) => {
  let node: TestNode;
  let t: CreatedTenant;
  let owner: string;
  const gql = async (token: string | null, query: string, variables?: Record<string, unknown>): Promise<Body> =>
    (await postGraphQL(node.url, { query, variables }, token ? { authorization: `Bearer ${token}` } : {})).body;
  const signIn = async (email: string, password = PASSWORD) => (await gql(null, LOGIN, { t: t.tenant.slug, e: email, p: password })).data?.login;
  const reason = (body: Body) => body.errors?.[0]?.extensions.reason ?? body.errors?.[0]?.extensions.code;
  /** Invites and accepts: an operator with a password, signed in. */
  async function member(email: string, role: UserRole, by = owner) {
    const invited = (await gql(by, INVITE, { e: email, r: role })).data.inviteOperator;
    expect((await gql(null, SET_PASSWORD, { t: invited.link.token, p: PASSWORD })).data.setPassword.status).toBe('ACTIVE');
    return { id: invited.operator.id as string, ...(await signIn(email)) } as { id: string; accessToken: string; refreshToken: string };
  }

  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false' });
    t = await seedTenant(node.services.db, 'users');
    owner = (await signIn(t.owner.email)).accessToken;
  });
  afterAll(() => node?.dispose());

  it('invites by email with a one-time link: the invitee sets a password once and signs in', async () => {
    const invited = await gql(owner, INVITE, { e: '  Ana@Users.TEST ', r: 'OPERATOR' });
    const { operator, link } = invited.data.inviteOperator;
    expect(operator).toMatchObject({ email: 'ana@users.test', role: 'OPERATOR', status: 'INVITED' });
    expect(link.token).toMatch(/^idp_/);
    expect(link.path).toBe(`/console/set-password#token=${link.token}`);
    expect(new Date(link.expiresAt).getTime() - Date.now()).toBeGreaterThan(71 * 3_600_000);
    // Invited, not yet a password: no sign-in with anything.
    expect(reason(await gql(null, LOGIN, { t: t.tenant.slug, e: 'ana@users.test', p: '' }))).toBe('INVALID_CREDENTIALS');
    expect(reason(await gql(null, SET_PASSWORD, { t: link.token, p: 'short' }))).toBe('WEAK_PASSWORD');
    expect((await gql(null, SET_PASSWORD, { t: link.token, p: PASSWORD })).data.setPassword).toEqual({ id: operator.id, status: 'ACTIVE' });
    expect(reason(await gql(null, SET_PASSWORD, { t: link.token, p: NEW_PASSWORD }))).toBe('PASSWORD_LINK_USED');
    expect((await signIn('ana@users.test')).operator).toEqual({ id: operator.id, role: 'OPERATOR', status: 'ACTIVE' });
    // The secret is stored hashed: the row holds no trace of it.
    const stored = await node.services.db.forTenant(t.tenant.id).getConnection().execute(`select * from user_link where user_id = '${operator.id}'`);
    expect(JSON.stringify(stored)).not.toContain(link.token.split('_')[2]);
  });

  it('answers bad input with typed errors', async () => {
    expect(reason(await gql(owner, INVITE, { e: 'not-an-email', r: 'ANALYST' }))).toBe('INVALID_EMAIL');
    expect((await gql(owner, INVITE, { e: 'x@users.test', r: 'KING' })).errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(reason(await gql(owner, INVITE, { e: t.owner.email, r: 'ANALYST' }))).toBe('EMAIL_TAKEN');
    expect((await gql(owner, INVITE, { e: t.owner.email, r: 'ANALYST' })).errors![0]!.extensions.code).toBe('CONFLICT');
    for (const token of ['idp_nothing', `idp_${'a'.repeat(12)}_${'b'.repeat(43)}`, 'idr_x']) {
      expect(reason(await gql(null, SET_PASSWORD, { t: token, p: PASSWORD }))).toBe('PASSWORD_LINK_INVALID');
    }
    expect(reason(await gql(owner, ROLE, { id: 'nope', r: 'ANALYST' }))).toBe('BAD_USER_INPUT');
    expect(reason(await gql(owner, DISABLE, { id: '00000000-0000-4000-8000-000000000000' }))).toBe('USER_NOT_FOUND');
    // An expired link (read three days and a second later).
    const { link } = (await gql(owner, INVITE, { e: 'late@users.test', r: 'ANALYST' })).data.inviteOperator;
    await expect(node.services.users.setPassword(link.token, PASSWORD, new Date(Date.now() + 3 * 86_400_000 + 1000))).rejects.toMatchObject({ code: 'PASSWORD_LINK_EXPIRED' });
  });

  it('lets an admin manage operators but not owners; only an owner makes owners', async () => {
    const admin = await member('admin@users.test', UserRole.ADMIN);
    expect(reason(await gql(admin.accessToken, INVITE, { e: 'boss@users.test', r: 'OWNER' }))).toBe('OWNER_ONLY');
    const analyst = await member('analyst@users.test', UserRole.ANALYST, admin.accessToken);
    expect(reason(await gql(admin.accessToken, ROLE, { id: analyst.id, r: 'OWNER' }))).toBe('OWNER_ONLY');
    expect((await gql(admin.accessToken, ROLE, { id: analyst.id, r: 'OPERATOR' })).data.changeOperatorRole.role).toBe('OPERATOR');
    for (const mutation of [DISABLE, RESET]) expect(reason(await gql(admin.accessToken, mutation, { id: t.owner.id }))).toBe('OWNER_ONLY');
    expect(reason(await gql(admin.accessToken, ROLE, { id: t.owner.id, r: 'ADMIN' }))).toBe('OWNER_ONLY');
    // An operator role and a partner token without users:manage are refused.
    const operator = (await signIn('analyst@users.test')).accessToken;
    const reader = (await node.services.tokens.create(node.services.db.forTenant(t.tenant.id), { tenantId: t.tenant.id, name: 'reader', scopes: ['sessions:read'] })).secret;
    for (const token of [operator, reader]) expect((await gql(token, '{ operators { totalCount } }')).errors![0]!.extensions.code).toBe('FORBIDDEN');
  });

  it('never leaves the tenant without an active owner', async () => {
    expect(reason(await gql(owner, ROLE, { id: t.owner.id, r: 'ADMIN' }))).toBe('LAST_OWNER');
    expect(reason(await gql(owner, DISABLE, { id: t.owner.id }))).toBe('LAST_OWNER');
    // An invited owner who has not set a password is no active owner yet.
    const { operator: pending } = (await gql(owner, INVITE, { e: 'pending-owner@users.test', r: 'OWNER' })).data.inviteOperator;
    expect(reason(await gql(owner, ROLE, { id: t.owner.id, r: 'ADMIN' }))).toBe('LAST_OWNER');
    const second = await member('owner2@users.test', UserRole.OWNER);
    expect((await gql(second.accessToken, ROLE, { id: t.owner.id, r: 'ADMIN' })).data.changeOperatorRole.role).toBe('ADMIN');
    expect(reason(await gql(second.accessToken, DISABLE, { id: second.id }))).toBe('LAST_OWNER');
    expect((await gql(second.accessToken, ROLE, { id: t.owner.id, r: 'OWNER' })).data.changeOperatorRole.role).toBe('OWNER');
    expect(pending.status).toBe('INVITED');
    owner = (await signIn(t.owner.email)).accessToken;
  });

  it('disabling ends the operator at once: access token, refresh token and live subscription', async () => {
    const victim = await member('leaver@users.test', UserRole.OPERATOR);
    const socket = createClient({ url: node.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${victim.accessToken}` } });
    try {
      const log = socket.iterate<{ sessionEvents: { sessionId: string } }>({ query: 'subscription { sessionEvents { sessionId } }' });
      const scenarioId = (await gql(t.token.secret, '{ scenarios { id } }')).data.scenarios[0].id;
      const createSession = async () => (await gql(t.token.secret, `mutation { createSession(input: { scenarioId: "${scenarioId}" }) { session { id } } }`)).data.createSession.session.id as string;
      await untilLive(log, createSession, (r) => r.data?.sessionEvents.sessionId);
      expect((await gql(owner, DISABLE, { id: victim.id })).data.disableOperator.status).toBe('DISABLED');
      await expect(log.next()).rejects.toMatchObject([{ message: 'the token was revoked' }]);
    } finally {
      await socket.dispose();
    }
    expect((await gql(victim.accessToken, '{ viewer { kind } }')).errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(reason(await gql(null, 'mutation($r: String!) { refreshSession(refreshToken: $r) { accessToken } }', { r: victim.refreshToken }))).toBe('INVALID_CREDENTIALS');
    expect(await signIn('leaver@users.test')).toBeUndefined();
    expect((await gql(owner, ENABLE, { id: victim.id })).data.enableOperator.status).toBe('ACTIVE');
    expect((await signIn('leaver@users.test')).operator.status).toBe('ACTIVE');
  });

  it('resets a password with a one-hour link: the old password works until it is used, then not', async () => {
    const user = await member('forgetful@users.test', UserRole.ANALYST);
    const { link } = (await gql(owner, RESET, { id: user.id })).data.resetOperatorPassword;
    expect(new Date(link.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect(await signIn('forgetful@users.test')).toBeDefined();
    await gql(null, SET_PASSWORD, { t: link.token, p: NEW_PASSWORD });
    expect(await signIn('forgetful@users.test')).toBeUndefined();
    expect(await signIn('forgetful@users.test', NEW_PASSWORD)).toBeDefined();
    expect((await gql(user.accessToken, '{ viewer { kind } }')).errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    const actions = (await node.services.db.forTenant(t.tenant.id).find(AuditEntry, { objectId: user.id }, { orderBy: { createdAt: 'asc' } })).map((a) => a.action);
    expect(actions.filter((a) => a !== 'user.login')).toEqual(['user.invited', 'user.invite_accepted', 'user.password_reset_requested', 'user.password_reset']);
  });

  it('lists operators newest first, keyset paged', async () => {
    const extra = await seedTenant(node.services.db, 'paged');
    const em = node.services.db.forTenant(extra.tenant.id);
    for (const i of [1, 2, 3]) await new UserService().create(em, { tenantId: extra.tenant.id, email: `u${i}@paged.test`, password: PASSWORD, role: UserRole.ANALYST });
    const token = (await gql(null, LOGIN, { t: extra.tenant.slug, e: extra.owner.email, p: PASSWORD })).data.login.accessToken;
    const page = async (after: string | null) => (await gql(token, 'query($a: String) { operators(first: 2, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { email status } } } }', { a: after })).data.operators;
    const first = await page(null);
    expect(first.totalCount).toBe(4);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const emails = [...first.edges, ...second.edges].map((e: { node: { email: string } }) => e.node.email);
    expect(emails).toEqual(['u3@paged.test', 'u2@paged.test', 'u1@paged.test', extra.owner.email]);
    expect(first.edges[0].node.status).toBe('ACTIVE');
  });
});
