import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Database } from '../domain/database/database.js';

/** A fresh, migrated database on the PostgreSQL server of `adminUrl` for one benchmark run; `dispose()` closes and drops it. */
export async function throwawayDatabase(adminUrl: string): Promise<{ db: Database; url: string; dispose(): Promise<void> }> {
  const name = `idgraph_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await Database.connect({ url: url.toString(), poolMax: 4 });
  const dispose = async () => {
    await db.close();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
  try {
    await db.migrate();
  } catch (error) {
    await dispose();
    throw error;
  }
  return { db, url: url.toString(), dispose };
}
