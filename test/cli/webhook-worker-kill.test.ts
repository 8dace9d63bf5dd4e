import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startIdgraph } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { cliEnvironment } from '../support/cli-process.js';
import { seedTenant } from '../support/seed.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';
import { postGraphQL } from '../support/test-node.js';
import { startReceiver } from '../webhooks/receiver.js';

/**
 * The outbox loses nothing when the worker dies mid-delivery: a node (`idgraph serve`, a child process) claims the
 * delivery and is killed with SIGKILL while the receiver holds its request; once its lease expires, the next node
 * delivers the event, with the same webhook-id.
 */
describe.each(testDrivers('webhook worker killed mid-delivery'))('a webhook worker killed mid-delivery on %s', (driver) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('loses nothing: the event arrives after restart, with the same webhook-id', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'idgraph-webhook-kill-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    let database: TestDatabase | undefined;
    if (driver === 'postgresql') {
      database = await createTestDatabase('postgresql');
      cleanup.push(() => database!.dispose());
    }
    // The same data directory (PGlite's files, the development master key that seals the secret) for every node.
    const env: Record<string, string> = {
      IDGRAPH_DATA_DIR: dataDir,
      IDGRAPH_PORT: '0',
      IDGRAPH_LOG_LEVEL: 'silent',
      IDGRAPH_SEED_DEMO: 'false',
      IDGRAPH_INFERENCE_PRELOAD: 'false',
      IDGRAPH_WEBHOOKS_ALLOW_HTTP: 'true',
      IDGRAPH_WEBHOOKS_LEASE_MS: '1500',
      IDGRAPH_WEBHOOKS_POLL_MS: '100',
      ...(database ? { DATABASE_URL: database.url } : {}),
    };
    // The first request is held open (the child is mid-delivery when it dies); later ones succeed.
    const receiver = await startReceiver((i) => (i === 0 ? 'hang' : 200));
    cleanup.push(() => receiver.close());

    // Seed through the API of a node without a worker, then stop it (PGlite: one process at a time).
    const seeding = await startIdgraph(loadConfig({ ...env, IDGRAPH_WEBHOOKS_WORKER: 'false' }), pino({ level: 'silent' }));
    const tenant = await seedTenant(seeding.services.db, 'kill');
    const gql = async (query: string) => (await postGraphQL(seeding.url, { query }, { authorization: `Bearer ${tenant.token.secret}` })).body.data;
    const { secret } = (await gql(`mutation { createWebhookEndpoint(input: { url: "${receiver.url}", eventTypes: ["session.created"] }) { secret } }`)).createWebhookEndpoint;
    const scenarioId = (await gql('mutation { createScenario(input: { name: "kill", steps: [{ kind: SELFIE }] }) { id } }')).createScenario.id;
    const sessionId = (await gql(`mutation { createSession(input: { scenarioId: "${scenarioId}" }) { session { id } } }`)).createSession.session.id;
    await seeding.dispose();

    const child = spawn(process.execPath, [inject('idgraphCli'), 'serve'], { env: cliEnvironment({ ...env, IDGRAPH_WEBHOOKS_TIMEOUT_MS: '600000' }), stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const [first] = await receiver.until(1);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const restarted = await startIdgraph(loadConfig(env), pino({ level: 'silent' }));
    cleanup.push(() => restarted.dispose());
    const [, second] = await receiver.until(2);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    const payload = new Webhook(secret).verify(second!.body, second!.headers as Record<string, string>);
    expect(payload).toMatchObject({ type: 'session.created', sessionId });
  });
});
