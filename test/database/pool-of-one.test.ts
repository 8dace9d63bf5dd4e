import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { serviceAvailable, testServices } from '../support/services-env.js';
import { postGraphQL, startTestNode } from '../support/test-node.js';

/** Runs one statement on the maintenance connection of TEST_DATABASE_URL. */
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testServices.databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.runIf(serviceAvailable('TEST_DATABASE_URL', 'a pool of one connection'))('a node with IDGRAPH_DB_POOL_MAX=1 on PostgreSQL', () => {
  it('migrates an empty database and serves requests (the migrations run on the advisory lock\'s connection)', async () => {
    const name = `idgraph_t_${randomBytes(6).toString('hex')}`;
    await admin(`create database "${name}"`);
    const url = new URL(testServices.databaseUrl!);
    url.pathname = `/${name}`;
    try {
      const node = await startTestNode('postgresql', { DATABASE_URL: url.toString(), IDGRAPH_DB_POOL_MAX: '1' });
      try {
        expect(node.services.db.orm.config.get('pool')).toMatchObject({ max: 1 });
        expect(await node.services.db.migrate()).toEqual([]);
        const res = await postGraphQL(node.url, { query: '{ health { status } }' });
        expect(res.body.data.health.status).toBeTruthy();
      } finally {
        await node.dispose();
      }
    } finally {
      await admin(`drop database if exists "${name}" with (force)`);
    }
  }, 30_000);
});
