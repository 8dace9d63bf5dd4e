import type { EntityManager } from '@mikro-orm/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE, TENANT_SETTING } from '../../domain/database/rls.constants.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';
import { entityMetadata, entityRows, writeEntityRows, type EntityRows } from './entity-rows.js';

type Row = { id: string; tenant_id?: string };

/** Who runs the statements of a transaction: the role and whether PostgreSQL treats it as a superuser. */
async function whoAmI(em: EntityManager): Promise<{ usr: string; superuser: boolean }> {
  const [who] = await em.execute<{ usr: string; superuser: boolean }[]>(
    `select current_user as usr, (select rolsuper from pg_roles where rolname = current_user) as superuser`,
  );
  return who!;
}

describe.each(testDrivers('row-level security on every table'))('row-level security on every tenant-owned table on %s', (driver) => {
  let t: TestDatabase;
  let a: EntityRows;
  let b: EntityRows;
  /** Table name → the entity whose rows it holds, for every table of the ORM metadata. */
  let tables: Map<string, string>;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    tables = new Map(entityMetadata(t.db).map((m) => [m.tableName, m.className]));
    // One row of every entity per tenant, written through the ORM as each tenant's role.
    [a, b] = [entityRows('rls-a'), entityRows('rls-b')];
    await writeEntityRows(t.db, a);
    await writeEntityRows(t.db, b);
  });
  afterAll(() => t?.dispose());

  /** `select *` from `table` in a transaction of the app role with `tenantId` as the tenant setting, nothing else. */
  function selectAllAsTenant(table: string, tenantId: string) {
    return t.db.orm.em.fork().transactional(async (em) => {
      await em.execute(`set local role "${APP_ROLE}"`);
      await em.execute(`select set_config('${TENANT_SETTING}', ?, true)`, [tenantId]);
      expect(await whoAmI(em)).toEqual({ usr: APP_ROLE, superuser: false });
      return em.execute<Row[]>(`select * from "${table}"`);
    });
  }

  it('every table with a tenant_id column belongs to a tenant-owned entity and has row-level security on', async () => {
    const root = t.db.orm.em.fork();
    const withTenantId = await root.execute<{ table_name: string }[]>(
      `select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' order by table_name`,
    );
    const owned = [...tables.keys()].filter((table) => table !== 'tenant').sort();
    expect(withTenantId.map((r) => r.table_name)).toEqual(owned);
    const relations = await root.execute<{ relname: string; relrowsecurity: boolean }[]>(
      `select relname, relrowsecurity from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'`,
    );
    const rls = new Map(relations.map((r) => [r.relname, r.relrowsecurity]));
    expect([...tables.keys()].filter((table) => rls.get(table) !== true)).toEqual([]);
  });

  it('a raw select * as the app role sees exactly its own tenant\'s row in every table, for either tenant', async () => {
    for (const [mine, theirs] of [[a, b], [b, a]] as const) {
      const tenantId = mine.Tenant!.id as string;
      for (const [table, entity] of tables) {
        const rows = await selectAllAsTenant(table, tenantId);
        expect(rows.map((r) => r.id), `${table} as ${mine.Tenant!.slug}`).toEqual([mine[entity]!.id]);
        expect(rows.map((r) => r.id)).not.toContain(theirs[entity]!.id);
        if (table !== 'tenant') expect(rows[0]!.tenant_id).toBe(tenantId);
      }
    }
  });

  it('control: the same select * as a superuser sees both tenants\' rows in every table', async () => {
    const root = t.db.orm.em.fork();
    expect((await whoAmI(root)).superuser).toBe(true);
    for (const [table, entity] of tables) {
      const rows = await root.execute<Row[]>(`select * from "${table}"`);
      expect(rows.map((r) => r.id).sort(), table).toEqual([a[entity]!.id, b[entity]!.id].sort());
    }
  });
});
