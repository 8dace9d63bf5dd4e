import type { BusEvent } from './event.types.js';

/** Receives the events of one tenant. */
export type EventListener = (event: BusEvent) => void;

/**
 * The typed event bus (STYLE §5). Domain services publish after their transaction commits; subscriptions listen per
 * tenant, so an event can only ever reach listeners of its own tenant. Two implementations share one contract test:
 * in-process (one node, no Redis) and Redis pub/sub (many nodes).
 */
export interface EventBus {
  /** Delivers to every listener of `event.tenantId` on every node. */
  publish(event: BusEvent): Promise<void>;
  /** Listens to one tenant until the returned function is called. Resolves once the listener is active. */
  subscribe(tenantId: string, listener: EventListener): Promise<() => Promise<void>>;
  /** Stops the bus (connections closed, listeners dropped). */
  close(): Promise<void>;
}
