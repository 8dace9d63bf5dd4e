import { createDecipheriv, hkdfSync } from 'node:crypto';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scenario } from '../../domain/scenarios/scenario.entity.js';
import { WebhookWorker } from '../../domain/webhooks/webhook-worker.js';
import { seedTenant } from '../support/seed.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';
import { startReceiver, type Received, type Receiver } from './receiver.js';

type Body = { data?: any; errors?: { message: string; extensions: { code: string; reason?: string } }[] };

/** Decrypts an `encryptBody` envelope as docs/WEBHOOKS.md tells a receiver to. */
function decrypt(secret: string, envelope: { alg: string; iv: string; ciphertext: string; tag: string }): unknown {
  expect(envelope.alg).toBe('A256GCM');
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'), Buffer.alloc(0), Buffer.from('idgraph-webhook-body-v1'), 32));
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]).toString('utf8'));
}

/** What `standardwebhooks` accepts for `secret`, parsed (it throws on a bad signature or a stale timestamp). */
function verified(secret: string, request: Received): Record<string, any> {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as Record<string, any>;
}

/** Polls `read` until `done` holds (a delivery's written-back state), failing after `ms`. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const DELIVERIES = `query($f: WebhookDeliveryFilter) { webhookDeliveries(filter: $f, first: 50) { totalCount edges { node {
  id webhookId eventType status attemptCount sessionId payload attempts { statusCode error latencyMs responseExcerpt } } } } }`;

describe.each(testDrivers('webhooks'))('webhooks on %s', (driver) => {
  let node: TestNode;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  const receivers: Receiver[] = [];
  const gql = async (query: string, variables?: Record<string, unknown>): Promise<Body> =>
    (await postGraphQL(node.url, { query, variables }, { authorization: `Bearer ${tenant.token.secret}` })).body;
  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const body = await gql(query, variables);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data;
  };
  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  };
  const scenario = async (callback = '') =>
    (await ok(`mutation { createScenario(input: { name: "hooks", steps: [{ kind: SELFIE }]${callback ? `, settings: { callback: { ${callback} } }` : ''} }) { id } }`)).createScenario.id as string;
  const session = async (scenarioId: string, externalUserId = 'user-1') =>
    (await ok(`mutation { createSession(input: { scenarioId: "${scenarioId}", externalUserId: "${externalUserId}" }) { session { id } } }`)).createSession.session.id as string;
  const endpoint = async (input: string) =>
    (await ok(`mutation { createWebhookEndpoint(input: { ${input} }) { secret endpoint { id url eventTypes enabled } } }`)).createWebhookEndpoint as { secret: string; endpoint: { id: string } };
  const deliveries = async (filter: Record<string, unknown>) => (await ok(DELIVERIES, { f: filter })).webhookDeliveries;

  beforeAll(async () => {
    node = await startTestNode(driver, {
      IDGRAPH_SEED_DEMO: 'false',
      IDGRAPH_WEBHOOKS_ALLOW_HTTP: 'true',
      IDGRAPH_WEBHOOKS_RETRY_SCHEDULE_MS: '0,20,20,20',
      IDGRAPH_WEBHOOKS_TIMEOUT_MS: '400',
      IDGRAPH_WEBHOOKS_POLL_MS: '100',
      IDGRAPH_WEBHOOKS_LEASE_MS: '5000',
    });
    tenant = await seedTenant(node.services.db, 'hooks');
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await node?.dispose();
  });

  it('creates an endpoint with a whsec_ secret shown once, and refuses bad input with typed errors', async () => {
    const r = await receiver();
    const created = await endpoint(`url: "${r.url}", eventTypes: ["session.created", "session.decided"]`);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(created.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const listed = await ok('{ webhookEndpoints { id url eventTypes enabled } }');
    expect(listed.webhookEndpoints).toEqual([{ id: created.endpoint.id, url: r.url, eventTypes: ['session.created', 'session.decided'], enabled: true }]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const refused = async (query: string, code: string, reason: string) => {
      const body = await gql(query);
      expect(body.errors?.[0]?.extensions, JSON.stringify(body)).toMatchObject({ code, reason });
      expect(body.data ?? null).toBeNull();
      return body.errors![0]!.message;
    };
    await refused('mutation { createWebhookEndpoint(input: { url: "not a url", eventTypes: ["session.created"] }) { secret } }', 'BAD_USER_INPUT', 'WEBHOOK_URL_REFUSED');
    expect(await refused('mutation { createWebhookEndpoint(input: { url: "http://10.0.0.7/hook", eventTypes: ["session.created"] }) { secret } }', 'BAD_USER_INPUT', 'WEBHOOK_URL_REFUSED')).toMatch(/private/);
    expect(await refused('mutation { createWebhookEndpoint(input: { url: "http://[::ffff:169.254.169.254]/", eventTypes: ["session.created"] }) { secret } }', 'BAD_USER_INPUT', 'WEBHOOK_URL_REFUSED')).toMatch(/link-local/);
    await refused(`mutation { createWebhookEndpoint(input: { url: "${r.url}", eventTypes: ["session.nope"] }) { secret } }`, 'BAD_USER_INPUT', 'UNKNOWN_EVENT_TYPE');
    await refused(`mutation { createWebhookEndpoint(input: { url: "${r.url}", eventTypes: [] }) { secret } }`, 'BAD_USER_INPUT', 'UNKNOWN_EVENT_TYPE');
    await refused('mutation { rotateWebhookSecret(id: "00000000-0000-4000-8000-000000000000") { secret } }', 'NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND');
    await refused('mutation { redeliverWebhook(deliveryId: "00000000-0000-4000-8000-000000000000") { id } }', 'NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND');
    // The scenario's callback URL goes through the same guard (issue 19).
    await refused('mutation { createScenario(input: { name: "x", steps: [{ kind: SELFIE }], settings: { callback: { url: "http://169.254.169.254/latest" } } }) { id } }', 'BAD_USER_INPUT', 'INVALID_SCENARIO');

    const audited = await ok(`{ auditLog(objectId: "${created.endpoint.id}") { edges { node { action } } } }`);
    expect(audited.auditLog.edges.map((e: { node: { action: string } }) => e.node.action)).toContain('webhook.create');
    expect((await ok(`mutation { deleteWebhookEndpoint(id: "${created.endpoint.id}") }`)).deleteWebhookEndpoint).toBe(created.endpoint.id);
    expect((await ok('{ webhookEndpoints { id } }')).webhookEndpoints).toEqual([]);
  });

  it('delivers session.created signed by the Standard Webhooks spec, retrying 500s and a timeout with the same webhook-id', async () => {
    const r = await receiver((i) => (i === 0 ? 500 : i === 1 ? 'hang' : 200));
    const scenarioId = await scenario();
    const { secret, endpoint: ep } = await endpoint(`url: "${r.url}", eventTypes: ["session.created"], scenarioId: "${scenarioId}"`);
    const sessionId = await session(scenarioId, 'partner-42');
    const seen = await r.until(3);
    expect(new Set(seen.map((s) => s.headers['webhook-id'])).size).toBe(1);
    expect(seen[0]!.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    for (const request of seen) {
      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      const payload = verified(secret, request);
      expect(payload).toMatchObject({ type: 'session.created', sessionId, externalUserId: 'partner-42', scenario: { id: scenarioId, version: 1 }, status: 'IN_PROGRESS' });
      expect(payload.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const log = await eventually(() => deliveries({ endpointId: ep.id }), (d) => d.edges[0]?.node.status === 'DELIVERED');
    expect(log.totalCount).toBe(1);
    const delivery = log.edges[0].node;
    expect(delivery).toMatchObject({ webhookId: seen[0]!.headers['webhook-id'], eventType: 'session.created', sessionId, attemptCount: 3 });
    expect(delivery.attempts.map((a: { statusCode: number | null }) => a.statusCode)).toEqual([500, null, 200]);
    expect(delivery.attempts[0].responseExcerpt).toBe('refused with 500');
    expect(delivery.attempts[1].error).toMatch(/timeout/);

    // Sent again on request: the same webhook-id, so the receiver can tell it is the same event.
    await ok(`mutation { redeliverWebhook(deliveryId: "${delivery.id}") { id status } }`);
    expect((await r.until(4))[3]!.headers['webhook-id']).toBe(delivery.webhookId);
  });

  it('encrypts the body when asked, and signs with the old and the new secret during a rotation', async () => {
    const r = await receiver();
    const scenarioId = await scenario();
    const { secret: old, endpoint: ep } = await endpoint(`url: "${r.url}", eventTypes: ["session.created"], scenarioId: "${scenarioId}", encryptBody: true`);
    const rotated = (await ok(`mutation { rotateWebhookSecret(id: "${ep.id}") { secret endpoint { previousSecretValidUntil } } }`)).rotateWebhookSecret;
    expect(rotated.secret).not.toBe(old);
    const overlap = new Date(rotated.endpoint.previousSecretValidUntil).getTime() - Date.now();
    expect(overlap).toBeGreaterThan(23.9 * 3_600_000);
    const sessionId = await session(scenarioId);
    const [request] = await r.until(1);
    expect(String(request!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    const envelope = verified(rotated.secret, request!);
    expect(verified(old, request!)).toEqual(envelope);
    expect(Object.keys(envelope).sort()).toEqual(['alg', 'ciphertext', 'iv', 'tag']);
    expect(decrypt(rotated.secret, envelope as never)).toMatchObject({ type: 'session.created', sessionId });
    expect(() => verified('whsec_' + Buffer.alloc(32, 7).toString('base64'), request!)).toThrow();
  });

  it('disables an endpoint that answers 410 Gone', async () => {
    const r = await receiver(() => 410);
    const scenarioId = await scenario();
    const { endpoint: ep } = await endpoint(`url: "${r.url}", eventTypes: ["session.created"], scenarioId: "${scenarioId}"`);
    await session(scenarioId);
    await r.until(1);
    const [found] = await eventually(async () => (await ok('{ webhookEndpoints { id enabled disabledReason } }')).webhookEndpoints.filter((e: { id: string }) => e.id === ep.id), ([e]) => e.enabled === false);
    expect(found.disabledReason).toMatch(/410/);
    expect((await deliveries({ endpointId: ep.id })).edges[0].node.status).toBe('DEAD');
    expect((await gql(`mutation { sendTestWebhook(id: "${ep.id}") { id } }`)).errors?.[0]?.extensions.reason).toBe('INVALID_WEBHOOK');
  });

  it("sends the scenario's callback as one endpoint: its own secret, finalStatusOnly and noPersonalData", async () => {
    const r = await receiver();
    const finalOnly = await scenario(`url: "${r.url}", finalStatusOnly: true`);
    const quiet = await session(finalOnly);
    expect((await deliveries({ sessionId: quiet })), JSON.stringify(await deliveries({ sessionId: quiet }))).toMatchObject({ totalCount: 0 });
    const scenarioId = await scenario(`url: "${r.url}", noPersonalData: true`);
    const sessionId = await session(scenarioId, 'ext-7');
    const [request] = await r.until(1);
    const stored = await node.services.db.forTenant(tenant.tenant.id).findOneOrFail(Scenario, { id: scenarioId });
    const payload = verified(`whsec_${Buffer.from(stored.callbackSecret, 'hex').toString('base64')}`, request!);
    expect(payload).toMatchObject({ type: 'session.created', sessionId, externalUserId: 'ext-7' });
    expect(payload).not.toHaveProperty('identity');
    expect(payload).not.toHaveProperty('comments');
  });

  it('sends a test webhook on request', async () => {
    const r = await receiver();
    const { secret, endpoint: ep } = await endpoint(`url: "${r.url}", eventTypes: ["face_list.changed"]`);
    const sent = (await ok(`mutation { sendTestWebhook(id: "${ep.id}") { id eventType status } }`)).sendTestWebhook;
    expect(sent).toMatchObject({ eventType: 'webhook.test', status: 'PENDING' });
    const [request] = await r.until(1);
    expect(verified(secret, request!)).toMatchObject({ type: 'webhook.test', endpointId: ep.id });
    await ok(`mutation { deleteWebhookEndpoint(id: "${ep.id}") }`);
  });

  it('refuses every webhook field to a token without the webhooks scopes', async () => {
    const token = (await ok('mutation { createApiToken(name: "no hooks", scopes: ["sessions:read", "sessions:write"]) { secret } }')).createApiToken.secret as string;
    const id = '00000000-0000-4000-8000-000000000000';
    for (const query of [
      '{ webhookEndpoints { id } }',
      '{ webhookDeliveries { totalCount } }',
      'mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:1/x", eventTypes: ["session.created"] }) { secret } }',
      `mutation { updateWebhookEndpoint(id: "${id}", input: { enabled: true }) { id } }`,
      `mutation { disableWebhookEndpoint(id: "${id}") { id } }`,
      `mutation { deleteWebhookEndpoint(id: "${id}") }`,
      `mutation { rotateWebhookSecret(id: "${id}") { secret } }`,
      `mutation { sendTestWebhook(id: "${id}") { id } }`,
      `mutation { redeliverWebhook(deliveryId: "${id}") { id } }`,
    ]) {
      const body = (await postGraphQL(node.url, { query }, { authorization: `Bearer ${token}` })).body as Body;
      expect(body.errors?.[0]?.extensions.code, query).toBe('FORBIDDEN');
      expect(body.data ?? null).toBeNull();
    }
  });

  it('never delivers one event twice when two workers share the outbox', async () => {
    const r = await receiver();
    const scenarioId = await scenario();
    await endpoint(`url: "${r.url}", eventTypes: ["session.created"], scenarioId: "${scenarioId}"`);
    const second = new WebhookWorker(node.services.db, node.services.webhookSecrets, { policy: { allowHttpAndLoopback: true }, pollMs: 20, leaseMs: 5000, batchSize: 2 }, pino({ level: 'silent' }));
    const running = second.start();
    try {
      const sessions = [];
      for (let i = 0; i < 12; i++) sessions.push(await session(scenarioId, `u${i}`));
      const seen = await r.until(12);
      // Both workers idle again and nothing more arrives: each claimed row was sent once.
      await Promise.all([second.runOnce(), node.services.webhookWorker.runOnce()]);
      expect(r.received).toHaveLength(12);
      expect(new Set(seen.map((s) => s.headers['webhook-id'])).size).toBe(12);
    } finally {
      await running.dispose();
    }
  });
});
