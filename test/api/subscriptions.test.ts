import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ACCESS_TOKEN_TTL_MS } from '../../domain/users/operator-auth.service.js';
import { seedTenant } from '../support/seed.js';
import { serviceAvailable, testServices } from '../support/services-env.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

type Event = { kind: string; sessionId: string; status: string };

const PASSWORD = 'correct horse battery staple';
const LOGIN = 'mutation($t: String!, $e: String!, $p: String!) { login(tenant: $t, email: $e, password: $p) { accessToken refreshToken } }';
/** What a subscription ended by its credential rejects with: one typed error, nothing else. */
const ended = (message: string) => [{ message, extensions: { code: 'UNAUTHENTICATED' } }];
/** What a new operation on a socket whose credential is gone rejects with. */
const REFUSED = ended('the credential of this socket is no longer valid');

describe.each(testDrivers('GraphQL subscriptions'))('subscriptions over graphql-ws on %s', (driver) => {
  let node: TestNode;
  let a: Awaited<ReturnType<typeof seedTenant>>;
  let b: Awaited<ReturnType<typeof seedTenant>>;
  const clients: Client[] = [];

  function client(token: string | null, onClosed?: (code: number) => void, on: { connected?: () => void } = {}): Client {
    const c = createClient({
      url: node.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      // A lazy client closes an idle socket and opens a new one for the next operation; a kept socket is what
      // the credential tests are about.
      lazy: !on.connected,
      on: { closed: (event) => onClosed?.((event as { code: number }).code), ...on },
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
  async function liveLog(token: string, via = client(token), query = 'subscription { sessionEvents { kind sessionId status } }') {
    const iterator = via.iterate<{ sessionEvents: Event }>({ query });
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

  /** A partner token of tenant A able to run {@link liveLog}, optionally expiring at `expiresAt`. */
  async function partnerToken(expiresAt?: Date): Promise<{ secret: string; id: string }> {
    const created = await postGraphQL(
      node.url,
      {
        query: 'mutation($e: DateTimeISO) { createApiToken(name: "ops", scopes: ["sessions:read", "sessions:write", "scenarios:read"], expiresAt: $e) { secret token { id } } }',
        variables: { e: expiresAt?.toISOString() ?? null },
      },
      { authorization: `Bearer ${a.token.secret}` },
    );
    return { secret: created.body.data.createApiToken.secret, id: created.body.data.createApiToken.token.id };
  }

  /** Signs A's owner in; `at` pretends the sign-in happened then (the access token expires 15 minutes after it). */
  async function signIn(at?: Date): Promise<{ accessToken: string; refreshToken: string }> {
    if (at) vi.setSystemTime(at);
    try {
      return (await postGraphQL(node.url, { query: LOGIN, variables: { t: a.tenant.slug, e: a.owner.email, p: PASSWORD } })).body.data.login;
    } finally {
      vi.useRealTimers();
    }
  }

  /** A client whose one socket stays open; `sockets()` counts the sockets it opened. */
  function keptSocket(token: string): { via: Client; sockets: () => number } {
    let opened = 0;
    const via = client(token, undefined, { connected: () => (opened += 1) });
    return { via, sockets: () => opened };
  }

  /** The log must end with exactly `expected`, and the same socket must refuse the next operations. */
  async function expectEndedThenRefused(log: AsyncIterator<unknown>, socket: ReturnType<typeof keptSocket>, expected: string): Promise<void> {
    await expect(log.next()).rejects.toEqual(ended(expected));
    await expect(socket.via.iterate({ query: 'subscription { sessionEvents { kind } }' }).next()).rejects.toEqual(REFUSED);
    // Queries on the socket are operations too.
    await expect(socket.via.iterate({ query: '{ health { status } }' }).next()).rejects.toEqual(REFUSED);
    expect(socket.sockets()).toBe(1);
  }

  it("ends a revoked token's subscriptions and refuses new ones on the same socket", async () => {
    const { secret, id } = await partnerToken();
    const socket = keptSocket(secret);
    const log = await liveLog(secret, socket.via);
    await postGraphQL(node.url, { query: `mutation { revokeApiToken(id: "${id}") { id } }` }, { authorization: `Bearer ${a.token.secret}` });
    await expectEndedThenRefused(log, socket, 'the token was revoked');
  });

  it("ends an expiring partner token's subscriptions when it expires", async () => {
    const { secret } = await partnerToken(new Date(Date.now() + 3000));
    const socket = keptSocket(secret);
    const log = await liveLog(secret, socket.via);
    await expectEndedThenRefused(log, socket, 'the token expired');
  });

  it("ends an operator's subscriptions at sign-out", async () => {
    const { accessToken, refreshToken } = await signIn();
    const socket = keptSocket(accessToken);
    const log = await liveLog(accessToken, socket.via);
    const out = await postGraphQL(node.url, { query: 'mutation($r: String!) { logout(refreshToken: $r) }', variables: { r: refreshToken } });
    expect(out.body.data.logout).toBe(true);
    await expectEndedThenRefused(log, socket, 'the token was revoked');
    // Signed out means signed out over HTTP too, not 15 minutes later.
    expect((await postGraphQL(node.url, { query: '{ viewer { kind } }' }, { authorization: `Bearer ${accessToken}` })).body.errors[0].extensions.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it("ends an operator's subscriptions when the 15-minute access token expires", async () => {
    const { accessToken } = await signIn(new Date(Date.now() - ACCESS_TOKEN_TTL_MS + 3000));
    const socket = keptSocket(accessToken);
    const log = await liveLog(accessToken, socket.via);
    await expectEndedThenRefused(log, socket, 'the token expired');
  });

  it("ends an applicant's subscription when its token expires", async () => {
    const session = await createSession(a.token.secret, 'expiring-applicant');
    const applicantToken = node.services.applicantTokens.sign({ sessionId: session.id, tenantId: a.tenant.id, expiresAt: new Date(Date.now() + 1500) });
    const { via, sockets } = keptSocket(applicantToken);
    const own = via.iterate({ query: `subscription { sessionUpdated(id: "${session.id}") { kind } }` });
    // 'the token expired' comes from the running stream (a refused subscription says REFUSED's message).
    await expect(own.next()).rejects.toEqual(ended('the token expired'));
    await expect(via.iterate({ query: `subscription { sessionUpdated(id: "${session.id}") { kind } }` }).next()).rejects.toEqual(REFUSED);
    expect(sockets()).toBe(1);
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
