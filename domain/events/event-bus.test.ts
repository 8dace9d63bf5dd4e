import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { serviceAvailable, testServices } from '../../test/support/services-env.js';
import type { EventBus } from './event-bus.js';
import { eventStream, StreamOverflowError } from './event-stream.js';
import { Topic, type BusEvent, type SessionEvent } from './event.types.js';
import { InProcessBus } from './in-process.bus.js';
import { RedisBus } from './redis.bus.js';

/** Two "nodes" sharing a bus: the same instance in-process, two connections to one Redis otherwise. */
type Nodes = { a: EventBus; b: EventBus; close(): Promise<void> };

const buses: [string, () => Promise<Nodes>][] = [
  [
    'in-process',
    async () => {
      const bus = new InProcessBus();
      return { a: bus, b: bus, close: () => bus.close() };
    },
  ],
];
if (serviceAvailable('TEST_REDIS_URL', 'event bus on Redis')) {
  buses.push([
    'redis',
    async () => {
      // A prefix of its own: suites on the same Redis database never see each other's events.
      const prefix = `test:${randomUUID()}`;
      const a = await RedisBus.connect(testServices.redisUrl!, prefix);
      const b = await RedisBus.connect(testServices.redisUrl!, prefix);
      return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
    },
  ]);
}

const isSession = (e: BusEvent): e is SessionEvent => e.topic !== Topic.TOKEN_REVOKED;
function event(tenantId: string, sessionId = randomUUID()): SessionEvent {
  return { topic: Topic.SESSION_CREATED, tenantId, sessionId, scenarioId: randomUUID(), status: 'IN_PROGRESS', at: new Date().toISOString() };
}

describe.each(buses)('event bus: %s', (_name, connect) => {
  it("delivers a tenant's events across nodes, in order, and only to that tenant", async () => {
    const nodes = await connect();
    const [t1, t2] = [randomUUID(), randomUUID()];
    const stream = await eventStream(nodes.b, t1, { accept: isSession });
    const other = await eventStream(nodes.b, t2, { accept: isSession });
    const sent = [event(t1), event(t2), event(t1), event(t1)];
    for (const e of sent) await nodes.a.publish(e);
    const got = [await stream.next(), await stream.next(), await stream.next()].map((r) => r.value!.sessionId);
    expect(got).toEqual([sent[0]!.sessionId, sent[2]!.sessionId, sent[3]!.sessionId]);
    expect((await other.next()).value!.sessionId).toBe(sent[1]!.sessionId);
    await stream.return!();
    await other.return!();
    await nodes.close();
  });

  it('stops delivering after the consumer returns, and ends a stream on a stop event', async () => {
    const nodes = await connect();
    const tenant = randomUUID();
    const stream = await eventStream(nodes.b, tenant, {
      accept: isSession,
      stopOn: (e) => (e.topic === Topic.TOKEN_REVOKED ? new Error('revoked') : null),
    });
    await nodes.a.publish(event(tenant));
    expect((await stream.next()).done).toBe(false);
    await nodes.a.publish({ topic: Topic.TOKEN_REVOKED, tenantId: tenant, tokenId: 'x', at: new Date().toISOString() });
    await expect(stream.next()).rejects.toThrow('revoked');
    expect((await stream.next()).done).toBe(true);
    await nodes.close();
  });

  it('closes a stream whose consumer falls too far behind instead of growing without bound', async () => {
    const nodes = await connect();
    const tenant = randomUUID();
    const stream = await eventStream(nodes.b, tenant, { accept: isSession, maxBuffered: 3 });
    for (let i = 0; i < 5; i++) await nodes.a.publish(event(tenant));
    // Wait for the Redis round trip: the fifth event arrives after four were published.
    const last = event(tenant);
    const seen = await eventStream(nodes.b, tenant, { accept: (e): e is SessionEvent => isSession(e) && e.sessionId === last.sessionId });
    await nodes.a.publish(last);
    await seen.next();
    await seen.return!();
    await expect(stream.next()).rejects.toBeInstanceOf(StreamOverflowError);
    await nodes.close();
  });
});
