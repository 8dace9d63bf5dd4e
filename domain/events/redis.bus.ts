import { Redis } from 'ioredis';
import type { EventBus, EventListener } from './event-bus.js';
import type { BusEvent } from './event.types.js';

/**
 * Redis pub/sub bus: one channel per tenant (`<prefix>:<tenantId>`), subscribed on a node only while one of its
 * clients listens to that tenant (reference-counted), so a node receives only the traffic it delivers. Redis needs a
 * dedicated connection in subscriber mode, hence two clients.
 */
export class RedisBus implements EventBus {
  private readonly listeners = new Map<string, Set<EventListener>>();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      const tenantId = channel.slice(prefix.length + 1);
      const event = JSON.parse(message) as BusEvent;
      for (const listener of [...(this.listeners.get(tenantId) ?? [])]) listener(event);
    });
  }

  /** Connects both clients; fails fast when Redis is unreachable. */
  static async connect(url: string, prefix = 'idgraph:events'): Promise<RedisBus> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
    const publisher = new Redis(url, options);
    const subscriber = new Redis(url, options);
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      throw error;
    }
    return new RedisBus(publisher, subscriber, prefix);
  }

  async publish(event: BusEvent): Promise<void> {
    await this.publisher.publish(this.channel(event.tenantId), JSON.stringify(event));
  }

  async subscribe(tenantId: string, listener: EventListener): Promise<() => Promise<void>> {
    let set = this.listeners.get(tenantId);
    if (!set) {
      this.listeners.set(tenantId, (set = new Set()));
      await this.subscriber.subscribe(this.channel(tenantId));
    }
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(tenantId) === set) {
        this.listeners.delete(tenantId);
        await this.subscriber.unsubscribe(this.channel(tenantId));
      }
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }

  private channel(tenantId: string): string {
    return `${this.prefix}:${tenantId}`;
  }
}
