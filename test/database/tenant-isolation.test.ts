import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, ActorType } from '../../domain/audit/audit-entry.entity.js';
import { SYSTEM_QUERY } from '../../domain/database/database.js';
import { ApiToken } from '../../domain/tokens/api-token.entity.js';
import { User } from '../../domain/users/user.entity.js';
import { seedTenant } from '../support/seed.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';

describe.each(testDrivers('tenant isolation'))('tenant isolation on %s', (driver) => {
  let t: TestDatabase;
  let a: Awaited<ReturnType<typeof seedTenant>>;
  let b: Awaited<ReturnType<typeof seedTenant>>;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    a = await seedTenant(t.db, 'alpha');
    b = await seedTenant(t.db, 'beta');
  });
  afterAll(() => t?.dispose());

  it('runs tenant work as a role that is neither superuser nor table owner', async () => {
    const [who] = await t.db.forTenant(a.tenant.id).execute<{ usr: string; superuser: boolean }[]>(
      `select current_user as usr, (select rolsuper from pg_roles where rolname = current_user) as superuser`,
    );
    expect(who).toEqual({ usr: 'idgraph_app', superuser: false });
  });

  it('ORM filter: a tenant sees only its own rows', async () => {
    const users = await t.db.forTenant(a.tenant.id).find(User, {});
    expect(users.map((u) => u.email)).toEqual([a.owner.email]);
  });

  it('RLS: with the ORM filter switched off, the database still hides the other tenant', async () => {
    const em = t.db.forTenant(a.tenant.id);
    const viaOrm = await em.find(User, {}, { filters: false });
    expect(viaOrm.map((u) => u.email)).toEqual([a.owner.email]);
    const raw = await em.execute<{ email: string }[]>('select email from app_user');
    expect(raw.map((r) => r.email)).toEqual([a.owner.email]);
    const tokens = await em.execute<{ tenant_id: string }[]>('select tenant_id from api_token');
    expect(tokens.map((r) => r.tenant_id)).toEqual([a.tenant.id]);
    const tenants = await em.execute<{ id: string }[]>('select id from tenant');
    expect(tenants.map((r) => r.id)).toEqual([a.tenant.id]);
  });

  it('control: the same raw query as the superuser owner does see both tenants', async () => {
    const raw = await t.db.orm.em.fork().execute<{ email: string }[]>('select email from app_user order by email');
    expect(raw.map((r) => r.email)).toEqual(expect.arrayContaining([a.owner.email, b.owner.email]));
  });

  it('RLS: a tenant cannot write a row into another tenant', async () => {
    const em = t.db.forTenant(a.tenant.id);
    await expect(
      em.execute(
        `insert into audit_entry (id, tenant_id, actor_type, action, object_type, details, created_at) values (?, ?, 'SYSTEM', 'x', 'y', '{}', now())`,
        [randomUUID(), b.tenant.id],
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('RLS: updates and deletes cannot reach the other tenant', async () => {
    const em = t.db.forTenant(a.tenant.id);
    await em.execute(`update app_user set disabled_at = now() where id = ?`, [b.owner.id]);
    await em.execute(`delete from api_token where tenant_id = ?`, [b.tenant.id]);
    const control = t.db.orm.em.fork();
    const [owner] = await control.execute<{ disabled_at: Date | null }[]>(`select disabled_at from app_user where id = ?`, [b.owner.id]);
    expect(owner!.disabled_at).toBeNull();
    const [tokens] = await control.execute<{ n: number }[]>(`select count(*)::int as n from api_token where tenant_id = ?`, [b.tenant.id]);
    expect(Number(tokens!.n)).toBe(1);
  });

  it('fails closed: the app role with no tenant set reads nothing and gets an error, not everything', async () => {
    const em = t.db.orm.em.fork({ session: { role: 'idgraph_app' } });
    await expect(em.execute('select id from app_user')).rejects.toThrow();
  });

  it('the system role crosses tenants only when asked to', async () => {
    const system = t.db.asSystem();
    const all = await system.find(ApiToken, { tenant: { $in: [a.tenant.id, b.tenant.id] } }, SYSTEM_QUERY);
    expect(all).toHaveLength(2);
    // Without disabling the filter explicitly, the ORM refuses instead of guessing a tenant.
    await expect(system.find(AuditEntry, { actorType: ActorType.SYSTEM })).rejects.toThrow(/tenant/);
  });
});
