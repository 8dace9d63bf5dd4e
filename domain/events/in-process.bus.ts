import type { EventBus, EventListener } from './event-bus.js';
import type { BusEvent } from './event.types.js';

/** The bus of a single node: listeners in a map by tenant, delivered synchronously after publish. */
export class InProcessBus implements EventBus {
  private readonly listeners = new Map<string, Set<EventListener>>();

  async publish(event: BusEvent): Promise<void> {
    for (const listener of [...(this.listeners.get(event.tenantId) ?? [])]) listener(event);
  }

  async subscribe(tenantId: string, listener: EventListener): Promise<() => Promise<void>> {
    let set = this.listeners.get(tenantId);
    if (!set) this.listeners.set(tenantId, (set = new Set()));
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(tenantId);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
