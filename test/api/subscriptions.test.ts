import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { systemClock, type Clock } from '../../domain/events/clock.js';
import { ACCESS_TOKEN_TTL_MS } from '../../domain/users/operator-auth.service.js';
import { untilLive } from '../support/live-subscription.js';
import { seedTenant } from '../support/seed.js';
import { serviceAvailable, testServices } from '../support/services-env.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

type Event = { kind: string; sessionId: string; status: string };

const PASSWORD = 'correct horse battery staple';
const LOGIN =
  'mutation($t: String!, $e: String!, $p: String!) { login(tenant: $t, email: $e, password: $p) { accessToken accessTokenExpiresAt refreshToken } }';
const LIVE_LOG = 'subscription { sessionEvents { kind sessionId status } }';
/** What a subscription ended by its credential rejects with: one typed error, nothing else. */
const ended = (message: string) => [{ message, extensions: { code: 'UNAUTHENTICATED' } }];
/** What a new operation on a socket whose credential is gone rejects with. */
const REFUSED = ended('the credential of this socket is no longer valid');

/**
 * A clock that stands still until the test moves it: a credential expires, and its subscriptions end, exactly when
 * the test says, however slow the machine. Deadlines the streams set are handed to the test as they are set.
 */
class ManualClock implements Clock {
  private current: number;
  private readonly timers = new Set<{ at: number; fn: () => void }>();
  private readonly set: Date[] = [];
  private awaitingSet: ((at: Date) => void) | null = null;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  at(at: Date, fn: () => void): () => void {
    const timer = { at: at.getTime(), fn };
    this.timers.add(timer);
    if (this.awaitingSet) this.awaitingSet(at);
    else this.set.push(at);
    this.awaitingSet = null;
    this.fireDue();
    return () => this.timers.delete(timer);
  }

  /** The next deadline a stream sets; a stream sets it once it is subscribed to the bus, so it is live by then. */
  nextDeadline(): Promise<Date> {
    const at = this.set.shift();
    return at ? Promise.resolve(at) : new Promise((resolve) => (this.awaitingSet = resolve));
  }

  moveTo(at: Date): void {
    this.current = at.getTime();
    this.fireDue();
  }

  private fireDue(): void {
    for (const timer of [...this.timers]) {
      if (timer.at > this.current) continue;
      this.timers.delete(timer);
      timer.fn();
    }
  }
}

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
   * probe sessions are created (with `prober`, a credential of the same tenant that stays valid) until one's event
   * comes through, then the stream is drained up to the last probe.
   */
  async function liveLog(token: string, via = client(token), prober = token) {
    const iterator = via.iterate<{ sessionEvents: Event }>({ query: LIVE_LOG });
    await untilLive(iterator, async () => (await createSession(prober, 'probe')).id, (r) => r.data?.sessionEvents.sessionId);
    return iterator;
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
  afterEach(() => {
    if (node) node.services.clock = systemClock;
  });

  /** Gives the node a clock of the test's own for the rest of the test (credential checks and stream deadlines). */
  function manualClock(): ManualClock {
    const clock = new ManualClock(new Date());
    node.services.clock = clock;
    return clock;
  }

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

  /** Signs A's owner in. */
  async function signIn(): Promise<{ accessToken: string; accessTokenExpiresAt: string; refreshToken: string }> {
    return (await postGraphQL(node.url, { query: LOGIN, variables: { t: a.tenant.slug, e: a.owner.email, p: PASSWORD } })).body.data.login;
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

  /**
   * Opens A's live log on `socket` under `clock` and waits until the stream is live, which is when it sets its
   * deadline; then checks it still delivers one instant before that deadline, and moves the clock onto it.
   */
  async function liveUntilDeadline(clock: ManualClock, socket: ReturnType<typeof keptSocket>): Promise<{ log: AsyncIterator<unknown>; deadline: Date }> {
    const log = socket.via.iterate<{ sessionEvents: Event }>({ query: LIVE_LOG });
    const first = log.next();
    const deadline = await clock.nextDeadline();
    clock.moveTo(new Date(deadline.getTime() - 1));
    const justBefore = await createSession(a.token.secret, 'just-before');
    expect((await first).value?.data?.sessionEvents.sessionId).toBe(justBefore.id);
    clock.moveTo(deadline);
    return { log, deadline };
  }

  it("ends a revoked token's subscriptions and refuses new ones on the same socket", async () => {
    const { secret, id } = await partnerToken();
    const socket = keptSocket(secret);
    const log = await liveLog(secret, socket.via, a.token.secret);
    await postGraphQL(node.url, { query: `mutation { revokeApiToken(id: "${id}") { id } }` }, { authorization: `Bearer ${a.token.secret}` });
    await expectEndedThenRefused(log, socket, 'the token was revoked');
  });

  it("ends an expiring partner token's subscriptions at the instant it expires", async () => {
    const clock = manualClock();
    const expiresAt = new Date(clock.now().getTime() + 60 * 60_000);
    const { secret } = await partnerToken(expiresAt);
    const socket = keptSocket(secret);
    const { log, deadline } = await liveUntilDeadline(clock, socket);
    expect(deadline).toEqual(expiresAt);
    await expectEndedThenRefused(log, socket, 'the token expired');
  });

  it("ends an operator's subscriptions at sign-out", async () => {
    const { accessToken, refreshToken } = await signIn();
    const socket = keptSocket(accessToken);
    const log = await liveLog(accessToken, socket.via, a.token.secret);
    const out = await postGraphQL(node.url, { query: 'mutation($r: String!) { logout(refreshToken: $r) }', variables: { r: refreshToken } });
    expect(out.body.data.logout).toBe(true);
    await expectEndedThenRefused(log, socket, 'the token was revoked');
    // Signed out means signed out over HTTP too, not 15 minutes later.
    expect((await postGraphQL(node.url, { query: '{ viewer { kind } }' }, { authorization: `Bearer ${accessToken}` })).body.errors[0].extensions.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it("ends an operator's subscriptions when the 15-minute access token expires", async () => {
    const clock = manualClock();
    const before = Date.now();
    const { accessToken, accessTokenExpiresAt } = await signIn();
    const after = Date.now();
    const socket = keptSocket(accessToken);
    const { log, deadline } = await liveUntilDeadline(clock, socket);
    expect(deadline).toEqual(new Date(accessTokenExpiresAt));
    expect(deadline.getTime()).toBeGreaterThanOrEqual(before + ACCESS_TOKEN_TTL_MS);
    expect(deadline.getTime()).toBeLessThanOrEqual(after + ACCESS_TOKEN_TTL_MS);
    await expectEndedThenRefused(log, socket, 'the token expired');
  });

  it("ends an applicant's subscription when its token expires", async () => {
    const clock = manualClock();
    const session = await createSession(a.token.secret, 'expiring-applicant');
    const expiresAt = new Date(clock.now().getTime() + 60 * 60_000);
    const applicantToken = node.services.applicantTokens.sign({ sessionId: session.id, tenantId: a.tenant.id, expiresAt });
    const { via, sockets } = keptSocket(applicantToken);
    const own = via.iterate({ query: `subscription { sessionUpdated(id: "${session.id}") { kind } }` });
    const ending = own.next();
    expect(await clock.nextDeadline()).toEqual(expiresAt);
    clock.moveTo(expiresAt);
    // 'the token expired' comes from the running stream (a refused subscription says REFUSED's message).
    await expect(ending).rejects.toEqual(ended('the token expired'));
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
