import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_QUERY } from '../../domain/database/database.js';
import { Tenant } from '../../domain/tenants/tenant.entity.js';
import { ApiToken } from '../../domain/tokens/api-token.entity.js';
import { User } from '../../domain/users/user.entity.js';
import { InProcessBus } from '../../domain/events/in-process.bus.js';
import { TenantService } from '../../domain/tenants/tenant.service.js';
import { TokenService } from '../../domain/tokens/token.service.js';
import { adminQuery, createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';
import { serviceAvailable, testServices } from '../support/services-env.js';
import { startTestNode, type TestNode } from '../support/test-node.js';

describe.each(testDrivers('demo tenant seeding'))('seeding the demo tenant on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(() => t?.dispose());

  it('creates it exactly once when several seeders find the database empty at the same time', async () => {
    const seeders = [0, 1, 2, 3].map(() => new TenantService(t.db, new TokenService(t.db, new InProcessBus())));
    // Settled, not Promise.all: a failing seeder must not leave the others writing while the database closes.
    const results = await Promise.allSettled(seeders.map((s) => s.seedDemo()));
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok', 'ok']);
    const created = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
    expect(created).toHaveLength(1);
    expect(created[0]!.tenant.slug).toBe('demo');
    const system = t.db.asSystem();
    expect(await system.count(Tenant, {}, SYSTEM_QUERY)).toBe(1);
    expect(await seeders[0]!.seedDemo()).toBeUndefined();
  });
});

// PGlite is one process's embedded database: two nodes cannot share it, so the race exists only on PostgreSQL.
describe.runIf(serviceAvailable('TEST_DATABASE_URL', 'two nodes on one empty database'))('two nodes starting at once on one empty PostgreSQL database', () => {
  const name = `idgraph_t_${randomBytes(6).toString('hex')}`;
  let url: string;
  let nodes: TestNode[] = [];

  beforeAll(async () => {
    await adminQuery(testServices.databaseUrl!, `create database "${name}"`);
    const u = new URL(testServices.databaseUrl!);
    u.pathname = `/${name}`;
    url = u.toString();
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
    await adminQuery(testServices.databaseUrl!, `drop database if exists "${name}" with (force)`);
  });

  it('both start; exactly one seeds the demo tenant, once', async () => {
    const starts = await Promise.allSettled([0, 1, 2].map(() => startTestNode('postgresql', { DATABASE_URL: url, IDGRAPH_SEED_DEMO: 'true' })));
    nodes = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    expect(starts.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual(['started', 'started', 'started']);
    const seeded = nodes.filter((n) => n.demo);
    expect(seeded).toHaveLength(1);
    const system = nodes[0]!.services.db.asSystem();
    expect((await system.find(Tenant, {}, SYSTEM_QUERY)).map((t) => t.slug)).toEqual(['demo']);
    expect(await system.count(User, {}, SYSTEM_QUERY)).toBe(1);
    expect(await system.count(ApiToken, {}, SYSTEM_QUERY)).toBe(1);
    for (const node of nodes) {
      expect((await node.services.tokens.authenticate(seeded[0]!.demo!.token.secret))?.tenantId).toBe(seeded[0]!.demo!.tenant.id);
    }
  });
});
