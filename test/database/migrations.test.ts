import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entities } from '../../domain/database/entities.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';

describe.each(testDrivers('migrations'))('migrations on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(() => t?.dispose());

  const query = <T = Record<string, unknown>>(sql: string) => t.db.orm.em.fork().execute<T[]>(sql);

  it('creates every table from empty, with pgvector installed', async () => {
    const tables = (await query<{ tablename: string }>(`select tablename from pg_tables where schemaname = 'public'`)).map(
      (r) => r.tablename,
    );
    const metadata = t.db.orm.getMetadata();
    for (const entity of entities) {
      expect(tables).toContain(metadata.find(entity as never)!.tableName);
    }
    const ext = await query<{ extname: string }>(`select extname from pg_extension where extname = 'vector'`);
    expect(ext).toHaveLength(1);
  });

  it('leaves nothing to migrate: the entities and the migrations describe the same schema', async () => {
    expect(await t.db.migrate()).toEqual([]);
    const diff = await t.db.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('enables row-level security with a tenant policy on every tenant-owned table', async () => {
    const rows = await query<{ relname: string; relrowsecurity: boolean; policies: string }>(
      `select c.relname, c.relrowsecurity, count(p.policyname)::int as policies
         from pg_class c left join pg_policies p on p.tablename = c.relname
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname <> 'mikro_orm_migrations'
        group by c.relname, c.relrowsecurity`,
    );
    expect(rows.length).toBe(entities.length);
    for (const row of rows) {
      expect({ table: row.relname, rls: row.relrowsecurity, policies: Number(row.policies) >= 1 }).toEqual({
        table: row.relname,
        rls: true,
        policies: true,
      });
    }
  });

  it('creates the HNSW cosine index on face embeddings and GIN indexes on the JSON that reports filter', async () => {
    const indexes = await query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = 'public'`,
    );
    const byName = new Map(indexes.map((i) => [i.indexname, i.indexdef]));
    expect(byName.get('face_embedding_hnsw')).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    expect(byName.get('capture_ocr_fields_gin')).toMatch(/USING gin/);
    expect(byName.get('capture_warnings_gin')).toMatch(/USING gin/);
    expect(byName.get('kyc_session_warnings_gin')).toMatch(/USING gin/);
  });

  it('gives the application roles data access but no ownership', async () => {
    const roles = await query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
      `select rolname, rolsuper, rolbypassrls from pg_roles where rolname in ('idgraph_app', 'idgraph_system') order by rolname`,
    );
    expect(roles).toEqual([
      { rolname: 'idgraph_app', rolsuper: false, rolbypassrls: false },
      { rolname: 'idgraph_system', rolsuper: false, rolbypassrls: true },
    ]);
    const owned = await query(
      `select tablename from pg_tables where schemaname = 'public' and tableowner in ('idgraph_app', 'idgraph_system')`,
    );
    expect(owned).toEqual([]);
  });
});
