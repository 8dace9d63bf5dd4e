import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { Topic } from '../../domain/events/event.types.js';
import { WarningSeverity } from '../../domain/warnings/warning.js';
import { SocketCloseCode } from '../../server/ws-close-code.js';
import { seedTenant } from '../support/seed.js';
import { gql, socket, startHostileTarget, subscribeFrame, type HostileTarget } from './hostile-target.js';

const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const EVENTS = 'subscription { sessionEvents { kind sessionId warnings { message } } }';

/** A raw graphql-ws socket, acknowledged, whose close code the test can await. */
async function openSocket(t: HostileTarget, token: string): Promise<{ ws: WebSocket; closed: Promise<number>; messages: any[] }> {
  const ws = new WebSocket(t.url.replace('http', 'ws'), 'graphql-transport-ws');
  const messages: any[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const acked = new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      messages.push(message);
      if (message.type === 'connection_ack') resolve();
    });
    closed.then((code) => reject(new Error(`closed with ${code} before the ack`)));
  });
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await acked;
  return { ws, closed, messages };
}

/** Waits until a message matching `test` has arrived on the socket. */
async function until(messages: any[], test: (m: any) => boolean, ms = 5000): Promise<any> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = messages.find(test);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such message in ${JSON.stringify(messages).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('cost budgets per caller, WebSocket caps and back-pressure (pglite)', () => {
  let t: HostileTarget;
  beforeAll(async () => {
    t = await startHostileTarget('pglite', {
      IDGRAPH_QUERY_BUDGET_APPLICANT: '30',
      IDGRAPH_WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '3',
      IDGRAPH_WS_MAX_SUBSCRIPTIONS_PER_CREDENTIAL: '4',
      IDGRAPH_WS_MAX_SOCKETS_PER_IP: '6',
      IDGRAPH_WS_SLOW_CLIENT_GRACE_MS: '300',
    });
  });
  afterAll(() => t?.node.dispose());

  it('refuses an anonymous query of thousands of aliases of a cheap field before one of them runs', async () => {
    const check = vi.spyOn(t.node.services.health, 'check');
    try {
      const few = await gql(t, aliases(5, 'health { status }'), undefined, null);
      expect(few.status).toBe(200);
      expect(check).toHaveBeenCalledTimes(5);
      check.mockClear();
      const many = await gql(t, aliases(2000, 'health { status }'), undefined, null);
      expect(many.status).toBe(400);
      expect(JSON.parse(many.text).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX', complexity: 22_000, maxComplexity: 60 });
      expect(check).not.toHaveBeenCalled();
      // The same document is within a partner's budget.
      expect((await gql(t, aliases(100, 'health { status }'))).status).toBe(200);
    } finally {
      check.mockRestore();
    }
  });

  it('lets anonymous callers reach only the public fields: health, login, refreshSession, logout, openKycLink', async () => {
    const publicOnes = [
      'mutation { login(tenant: "x", email: "a@b.c", password: "p") { accessToken } }',
      'mutation { refreshSession(refreshToken: "nope") { accessToken } }',
      'mutation { logout(refreshToken: "nope") }',
      'mutation { openKycLink(token: "nope") { applicantToken } }',
    ];
    for (const query of publicOnes) {
      const outcome = await gql(t, query, undefined, null);
      expect(outcome.reasons, query).not.toContain('PUBLIC_FIELDS_ONLY');
      expect(outcome.status, query).toBeLessThan(500);
    }
    const closed = await gql(t, '{ viewer { kind } health { status } }', undefined, null);
    expect(closed.status).toBe(401);
    expect(JSON.parse(closed.text)).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED', reason: 'PUBLIC_FIELDS_ONLY', fields: ['viewer'] } })] });
  });

  it('gives each kind of credential its own budget: an applicant gets less than a partner', async () => {
    const three = `{ a: session(id: "${t.sessionId}") { id } b: session(id: "${t.sessionId}") { id } c: session(id: "${t.sessionId}") { id } }`;
    const applicant = await gql(t, three, undefined, t.applicant);
    expect(applicant.status).toBe(400);
    expect(JSON.parse(applicant.text).errors[0].extensions).toMatchObject({ reason: 'QUERY_TOO_COMPLEX', maxComplexity: 30 });
    expect((await gql(t, three)).status).toBe(200);
    const uploadCost = await gql(t, 'mutation($f: Upload!) { uploadCapture(sessionId: "x", step: 0, file: $f) { captureId } }', { f: null }, t.applicant);
    expect(uploadCost.status).toBe(400);
  });

  it('caps operations per socket and per credential, and frees them when a socket closes', async () => {
    const token = (await seedTenant(t.node.services.db, 'caps')).token.secret;
    const first = await openSocket(t, token);
    for (const id of ['1', '2', '3']) first.ws.send(subscribeFrame(id, EVENTS));
    first.ws.send(subscribeFrame('4', EVENTS));
    const perSocket = await until(first.messages, (m) => m.type === 'error' && m.id === '4');
    expect(perSocket.payload[0].extensions).toEqual({ code: 'RATE_LIMITED', reason: 'TOO_MANY_SUBSCRIPTIONS', scope: 'socket', max: 3 });

    const second = await openSocket(t, token);
    second.ws.send(subscribeFrame('a', EVENTS));
    second.ws.send(subscribeFrame('b', EVENTS));
    const perCredential = await until(second.messages, (m) => m.type === 'error' && m.id === 'b');
    expect(perCredential.payload[0].extensions).toEqual({ code: 'RATE_LIMITED', reason: 'TOO_MANY_SUBSCRIPTIONS', scope: 'credential', max: 4 });
    // Another credential is not affected.
    expect((await socket(t, [subscribeFrame('x', EVENTS)], { waitMs: 300 })).codes).toEqual([]);

    first.ws.close();
    await first.closed;
    second.ws.send(subscribeFrame('c', EVENTS));
    second.ws.send(subscribeFrame('d', EVENTS));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.messages.filter((m) => m.type === 'error' && ['c', 'd'].includes(m.id))).toEqual([]);
    second.ws.close();
    await second.closed;
  });

  it('closes sockets over the per-address cap with TooManySockets', async () => {
    const open = await Promise.all(Array.from({ length: 6 }, () => openSocket(t, t.partner)));
    const over = new WebSocket(t.url.replace('http', 'ws'), 'graphql-transport-ws');
    expect(await new Promise((resolve) => over.on('close', resolve))).toBe(SocketCloseCode.TooManySockets);
    open[0]!.ws.close();
    await open[0]!.closed;
    const again = await openSocket(t, t.partner);
    for (const s of [...open.slice(1), again]) {
      s.ws.close();
      await s.closed;
    }
  });

  it('closes a subscriber that stops reading with SlowConsumer, and keeps serving the others', async () => {
    const slow = await openSocket(t, t.partner);
    slow.ws.send(subscribeFrame('1', EVENTS));
    const event = (i: number) => ({
      topic: Topic.SESSION_CREATED as const,
      tenantId: t.tenantId,
      sessionId: `probe-${i}`,
      scenarioId: t.scenarioId,
      status: 'IN_PROGRESS',
      warnings: [{ code: 'PROBE', severity: WarningSeverity.NONE, confidence: 1, message: 'x'.repeat(64 * 1024) }],
      at: new Date().toISOString(),
    });
    const publish = (i: number) => t.node.services.events.publish(event(i));
    // Live once the first probe arrives; then the client stops reading.
    for (let i = 0; !slow.messages.some((m) => m.type === 'next'); i++) {
      await publish(i);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    // 64 KiB events until the loopback buffers are full and the unsent bytes stop going down.
    for (let i = 0; i < 400; i++) {
      await publish(1000 + i);
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slow.closed).toBe(SocketCloseCode.SlowConsumer);
    expect((await gql(t, '{ health { status } }')).status).toBe(200);
  });
});
