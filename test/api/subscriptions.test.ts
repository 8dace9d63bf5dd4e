import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { seedTenant } from '../support/seed.js';
import { serviceAvailable, testServices } from '../support/services-env.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

type Event = { kind: string; sessionId: string; status: string };

describe.each(testDrivers('GraphQL subscriptions'))('subscriptions over graphql-ws on %s', (driver) => {
  let node: TestNode;
  let a: Awaited<ReturnType<typeof seedTenant>>;
  let b: Awaited<ReturnType<typeof seedTenant>>;
  const clients: Client[] = [];

  function client(token: string | null, onClosed?: (code: number) => void): Client {
    const c = createClient({
      url: node.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: true,
      on: onClosed ? { closed: (event) => onClosed((event as { code: number }).code) } : {},
    });
    clients.push(c);
    return c;
  }

  async function createSession(token: string, externalUserId: string): Promise<{ id: string; applicantToken: string }> {
    const scenarios = await postGraphQL(node.url, { query: '{ scenarios { id } }' }, { authorization: `Bearer ${token}` });
    const res = await postGraphQL(
      node.url,
      { query: `mutation { createSession(input: { scenarioId: "${scenarios.body.data.scenarios[0].id}", externalUserId: "${externalUserId}" }) { applicantToken session { id } } }` },
      { authorization: `Bearer ${token}` },
    );
    return { id: res.body.data.createSession.session.id, applicantToken: res.body.data.createSession.applicantToken };
  }

  /**
   * Subscribes and returns once the subscription is live: the client cannot see when the server has subscribed, so
   * probe sessions are created until one's event comes through, then the stream is drained up to the last probe.
   */
  async function liveLog(token: string, query = 'subscription { sessionEvents { kind sessionId status } }') {
    const iterator = client(token).iterate<{ sessionEvents: Event }>({ query });
    const probes: string[] = [];
    let pending = iterator.next();
    for (;;) {
      probes.push((await createSession(token, 'probe')).id);
      const got = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 500))]);
      if (!got) continue;
      if (got.done || !got.value.data) throw new Error(`subscription failed: ${JSON.stringify(got)}`);
      let seen = got.value.data.sessionEvents.sessionId;
      while (seen !== probes.at(-1)) {
        pending = iterator.next();
        seen = (await pending).value!.data!.sessionEvents.sessionId;
      }
      return iterator;
    }
  }

  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false' });
    a = await seedTenant(node.services.db, 'ws-a');
    b = await seedTenant(node.services.db, 'ws-b');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await node?.dispose();
  });

  it("streams the tenant's live log in order, and nothing of another tenant", async () => {
    const logA = await liveLog(a.token.secret);
    const logB = await liveLog(b.token.secret);
    const created = [await createSession(a.token.secret, 'x1'), await createSession(a.token.secret, 'x2'), await createSession(a.token.secret, 'x3')];
    const received: Event[] = [];
    for (let i = 0; i < 3; i++) received.push((await logA.next()).value!.data!.sessionEvents);
    expect(received).toEqual(created.map((s) => ({ kind: 'SESSION_CREATED', sessionId: s.id, status: 'IN_PROGRESS' })));
    // B's next event is its own, created after A's three: none of A's reached it.
    const own = await createSession(b.token.secret, 'y1');
    expect((await logB.next()).value!.data!.sessionEvents.sessionId).toBe(own.id);
    await logA.return!();
    await logB.return!();
  });

  it('lets an applicant follow its own session only', async () => {
    const mine = await createSession(a.token.secret, 'applicant');
    const other = await createSession(a.token.secret, 'other');
    const own = client(mine.applicantToken).iterate({ query: `subscription { sessionUpdated(id: "${mine.id}") { kind } }` });
    const foreign = client(mine.applicantToken).iterate({ query: `subscription { sessionUpdated(id: "${other.id}") { kind } }` });
    const denied = await foreign.next();
    expect(denied.value?.errors?.[0]?.extensions?.code ?? (denied.value as any)?.extensions?.code).toBe('NOT_FOUND');
    const log = client(mine.applicantToken).iterate({ query: 'subscription { sessionEvents { kind } }' });
    const forbidden = await log.next();
    expect(forbidden.value?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await own.return!();
  });

  it("refuses to follow another tenant's session", async () => {
    const theirs = await createSession(a.token.secret, 'followed');
    const foreign = client(b.token.secret).iterate({ query: `subscription { sessionUpdated(id: "${theirs.id}") { kind } }` });
    const first = await foreign.next();
    expect(first.value?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses a socket without a valid token at connection_init', async () => {
    let closedWith = 0;
    const anonymous = client(null, (code) => (closedWith = code));
    await expect(anonymous.iterate({ query: 'subscription { sessionEvents { kind } }' }).next()).rejects.toBeTruthy();
    expect(closedWith).toBe(4403);
  });

  it("ends a revoked token's subscriptions", async () => {
    const created = await postGraphQL(
      node.url,
      { query: 'mutation { createApiToken(name: "ops", scopes: ["sessions:read", "sessions:write", "scenarios:read"]) { secret token { id } } }' },
      { authorization: `Bearer ${a.token.secret}` },
    );
    const { secret, token } = created.body.data.createApiToken;
    const log = await liveLog(secret);
    await postGraphQL(node.url, { query: `mutation { revokeApiToken(id: "${token.id}") { id } }` }, { authorization: `Bearer ${a.token.secret}` });
    const ended = await log.next().then(
      (r) => (r.done ? 'completed' : r.value.errors?.[0]?.extensions?.code ?? 'event'),
      () => 'errored',
    );
    expect(['UNAUTHENTICATED', 'completed', 'errored']).toContain(ended);
    expect(ended).not.toBe('event');
  });
});

describe.runIf(testDrivers('two nodes').includes('postgresql') && serviceAvailable('TEST_REDIS_URL', 'two nodes over Redis'))(
  'two nodes sharing PostgreSQL and Redis',
  () => {
    it("an operator on one node sees the sessions created on the other", async () => {
      const first = await startTestNode('postgresql', { REDIS_URL: testServices.redisUrl!, IDGRAPH_SEED_DEMO: 'false' });
      const second = await startTestNode('postgresql', {
        REDIS_URL: testServices.redisUrl!,
        IDGRAPH_SEED_DEMO: 'false',
        DATABASE_URL: first.services.db.orm.config.get('clientUrl')!,
      });
      try {
        const tenant = await seedTenant(first.services.db, 'two-nodes');
        const auth = { authorization: `Bearer ${tenant.token.secret}` };
        const scenarioId = (await postGraphQL(first.url, { query: '{ scenarios { id } }' }, auth)).body.data.scenarios[0].id;
        const create = async () =>
          (await postGraphQL(first.url, { query: `mutation { createSession(input: { scenarioId: "${scenarioId}" }) { session { id } } }` }, auth)).body.data
            .createSession.session.id as string;
        const onSecond = createClient({
          url: second.url.replace('http', 'ws'),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: auth,
        });
        const log = onSecond.iterate<{ sessionEvents: { sessionId: string } }>({ query: 'subscription { sessionEvents { sessionId } }' });
        let pending = log.next();
        const created: string[] = [];
        for (;;) {
          created.push(await create());
          const got = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 500))]);
          if (got) {
            expect(created).toContain(got.value!.data!.sessionEvents.sessionId);
            break;
          }
        }
        await log.return!();
        await onSecond.dispose();
      } finally {
        await second.dispose();
        await first.dispose();
      }
    });
  },
);
