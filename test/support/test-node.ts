import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startIdgraph, type RunningIdgraph } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { DatabaseDriver } from '../../domain/database/database.js';
import { createTestDatabase } from './test-database.js';

/** A real idgraph node on a free port, with its own database and data directory. */
export interface TestNode extends RunningIdgraph {
  dispose(): Promise<void>;
}

/**
 * Starts a node like `npm start` does, but on port 0 and a fresh database of the given driver (PostgreSQL: a database
 * created for it, unless `DATABASE_URL` in `env` points a second node at an existing one; PGlite: a temp directory).
 */
export async function startTestNode(driver: DatabaseDriver, env: Record<string, string> = {}): Promise<TestNode> {
  const dataDir = await mkdtemp(join(tmpdir(), 'idgraph-node-'));
  const database = driver === 'postgresql' && !env.DATABASE_URL ? await createTestDatabase('postgresql') : undefined;
  const config = loadConfig({
    IDGRAPH_PORT: '0',
    IDGRAPH_DATA_DIR: dataDir,
    IDGRAPH_LOG_LEVEL: 'silent',
    // Suites that upload start the pool on first use; the others never pay for it.
    IDGRAPH_INFERENCE_PRELOAD: 'false',
    ...(database?.url ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const node = await startIdgraph(config, pino({ level: 'silent' }));
  return {
    ...node,
    async dispose() {
      await node.dispose();
      await database?.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs a GraphQL operation as JSON and returns status and parsed body. */
export async function postGraphQL(
  url: string,
  body: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
