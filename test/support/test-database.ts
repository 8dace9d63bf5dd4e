import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Database, type DatabaseDriver } from '../../domain/database/database.js';
import { serviceAvailable, testServices } from './services-env.js';

/** A migrated database of its own for one suite; `dispose()` closes and drops it. */
export interface TestDatabase {
  db: Database;
  url?: string;
  dispose(): Promise<void>;
}

/** The drivers a contract suite runs against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testDrivers(suite: string): DatabaseDriver[] {
  return serviceAvailable('TEST_DATABASE_URL', suite) ? ['pglite', 'postgresql'] : ['pglite'];
}

/** Creates a fresh random database (PostgreSQL) or in-memory cluster (PGlite), migrated. */
export async function createTestDatabase(driver: DatabaseDriver): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const db = await Database.connect({ dataDir: 'memory://' });
    await db.migrate();
    return { db, dispose: () => db.close() };
  }
  const base = testServices.databaseUrl;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `idgraph_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(base, `create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await Database.connect({ url: url.toString(), poolMax: 5 });
  await db.migrate();
  return {
    db,
    url: url.toString(),
    async dispose() {
      await db.close();
      await adminQuery(base, `drop database if exists "${name}" with (force)`);
    },
  };
}

/** Runs one statement on its own connection to `url` (create and drop database cannot run inside a pool's session). */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
