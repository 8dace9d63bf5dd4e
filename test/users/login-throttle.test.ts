import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../domain/audit/audit-entry.entity.js';
import type { CreatedTenant } from '../../domain/tenants/tenant.service.js';
import { serviceAvailable, testServices } from '../support/services-env.js';
import { seedTenant } from '../support/seed.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

const PASSWORD = 'correct horse battery staple';
const LOGIN = 'mutation($t: String!, $e: String!, $p: String!) { login(tenant: $t, email: $e, password: $p) { accessToken refreshToken } }';
const REFRESH = 'mutation($r: String!) { refreshSession(refreshToken: $r) { accessToken } }';

const login = (node: TestNode, tenant: CreatedTenant, password: string, headers: Record<string, string> = {}) =>
  postGraphQL(node.url, { query: LOGIN, variables: { t: tenant.tenant.slug, e: tenant.owner.email, p: password } }, headers);

/** Sends wrong passwords until the account is locked out; returns the answers. */
async function guess(node: TestNode, tenant: CreatedTenant, times: number) {
  const answers: Array<{ status: number; code: string }> = [];
  for (let i = 0; i < times; i++) {
    const res = await login(node, tenant, `wrong password ${i}`);
    answers.push({ status: res.status, code: res.body.errors[0].extensions.reason });
  }
  return answers;
}

/** Forgets the throttle's counts in this suite's Redis database, so a rerun within the window starts clean. */
async function clearThrottle(url: string): Promise<void> {
  const redis = new Redis(url);
  const keys = await redis.keys('idgraph:throttle:*');
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

describe.each(testDrivers('login throttling'))('login throttling (%s)', (driver) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false' });
  });
  afterAll(() => node?.dispose());

  it('locks the account out after 5 wrong passwords: the right one is refused with 429, Retry-After and LOGIN_LOCKED', async () => {
    const tenant = await seedTenant(node.services.db, 'lock');
    const answers = await guess(node, tenant, 30);
    expect(answers.slice(0, 5).every((a) => a.code === 'INVALID_CREDENTIALS' && a.status === 200)).toBe(true);
    expect(answers.slice(5).every((a) => a.code === 'LOGIN_LOCKED' && a.status === 429)).toBe(true);

    const res = await fetch(node.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOGIN, variables: { t: tenant.tenant.slug, e: tenant.owner.email, p: PASSWORD } }),
    });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await res.json()) as { data: unknown; errors: Array<{ extensions: unknown }> };
    expect(body.data).toBeNull();
    expect(body.errors[0]?.extensions).toEqual({ code: 'RATE_LIMITED', reason: 'LOGIN_LOCKED', retryAfterSeconds: retryAfter });

    const audit = await node.services.db.forTenant(tenant.tenant.id).find(AuditEntry, { action: 'user.locked' });
    expect(audit.map((e) => ({ objectId: e.objectId, details: e.details }))).toEqual([
      { objectId: tenant.owner.id, details: { check: 'login', seconds: 60, lockoutsToday: 1 } },
    ]);
  });

  it('is not lifted by a bearer token: neither the partner token nor an operator access token buys attempts', async () => {
    const tenant = await seedTenant(node.services.db, 'bearer');
    const other = await seedTenant(node.services.db, 'bearer-other');
    const access = (await login(node, other, PASSWORD)).body.data.login.accessToken as string;
    await guess(node, tenant, 5);
    for (const token of [tenant.token.secret, access]) {
      const res = await login(node, tenant, PASSWORD, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(429);
      expect(res.body.errors[0].extensions.reason).toBe('LOGIN_LOCKED');
    }
  });

  it('locks out an account that does not exist the same way, so a lockout tells nothing', async () => {
    const tenant = await seedTenant(node.services.db, 'ghost');
    const ghost = (i: number) => postGraphQL(node.url, { query: LOGIN, variables: { t: tenant.tenant.slug, e: 'nobody@ghost.test', p: `guess ${i}` } });
    const reasons = [];
    for (let i = 0; i < 6; i++) reasons.push((await ghost(i)).body.errors[0].extensions.reason);
    expect(reasons).toEqual([...Array(5).fill('INVALID_CREDENTIALS'), 'LOGIN_LOCKED']);
  });

  it('throttles refresh failures per address, with a bearer token or without', async () => {
    const tenant = await seedTenant(node.services.db, 'refresh');
    const { refreshToken } = (await login(node, tenant, PASSWORD)).body.data.login;
    const reasons: string[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await postGraphQL(node.url, { query: REFRESH, variables: { r: `idr_${'x'.repeat(20)}${i}_nothing` } });
      reasons.push(res.body.errors[0].extensions.reason);
    }
    expect(reasons.every((r) => r === 'INVALID_CREDENTIALS')).toBe(true);
    const locked = await postGraphQL(node.url, { query: REFRESH, variables: { r: refreshToken } }, { authorization: `Bearer ${tenant.token.secret}` });
    expect(locked.status).toBe(429);
    expect(locked.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'LOGIN_LOCKED' });
  });
});

describe.runIf(testDrivers('two nodes').includes('postgresql') && serviceAvailable('TEST_REDIS_URL', 'login throttling over Redis'))(
  'login throttling shared by two nodes over Redis',
  () => {
    it('a lockout earned on one node holds on the other', async () => {
      await clearThrottle(testServices.redisUrl!);
      const first = await startTestNode('postgresql', { REDIS_URL: testServices.redisUrl!, IDGRAPH_SEED_DEMO: 'false' });
      const second = await startTestNode('postgresql', {
        REDIS_URL: testServices.redisUrl!,
        IDGRAPH_SEED_DEMO: 'false',
        DATABASE_URL: first.services.db.orm.config.get('clientUrl')!,
      });
      try {
        const tenant = await seedTenant(first.services.db, 'shared');
        // Three failures on one node and two on the other make the five that lock the account.
        expect((await guess(first, tenant, 3)).map((a) => a.code)).toEqual(Array(3).fill('INVALID_CREDENTIALS'));
        expect((await guess(second, tenant, 2)).map((a) => a.code)).toEqual(Array(2).fill('INVALID_CREDENTIALS'));
        for (const node of [first, second]) {
          const res = await login(node, tenant, PASSWORD);
          expect(res.status).toBe(429);
          expect(res.body.errors[0].extensions.reason).toBe('LOGIN_LOCKED');
        }
      } finally {
        await second.dispose();
        await first.dispose();
      }
    });
  },
);
