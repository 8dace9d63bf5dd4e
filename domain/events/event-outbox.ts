import type { EntityManager } from '@mikro-orm/sql';
import type { Session } from '../sessions/session.entity.js';

/** The events a partner's backend can be told of (docs/WEBHOOKS.md). */
export enum OutboxEventType {
  SESSION_CREATED = 'session.created',
  SESSION_STEP_EVALUATED = 'session.step_evaluated',
  /** The engine's final decision. */
  SESSION_DECIDED = 'session.decided',
  /** An operator's manual decision. */
  SESSION_REVIEWED = 'session.reviewed',
  SESSION_EXPIRED = 'session.expired',
  SESSION_DELETED = 'session.deleted',
  FACE_LIST_CHANGED = 'face_list.changed',
}

/** What the core tells the outbox, inside the transaction of the change. */
export type OutboxEvent =
  | { type: Exclude<OutboxEventType, OutboxEventType.SESSION_DELETED | OutboxEventType.FACE_LIST_CHANGED>; session: Session; step?: number }
  /** After erasure the session is gone: only its ids travel. */
  | { type: OutboxEventType.SESSION_DELETED; tenantId: string; sessionId: string; scenarioId: string; externalUserId: string | null }
  | { type: OutboxEventType.FACE_LIST_CHANGED; tenantId: string; faceListId: string; faceId: string; change: 'added' | 'removed' };

/**
 * The transactional outbox port (DESIGN §8): the core records an event in the transaction `tx` of the change it
 * announces, so the two commit or roll back together. The webhooks room implements it; the core knows nothing of
 * endpoints or HTTP.
 */
export interface EventOutbox {
  record(tx: EntityManager, event: OutboxEvent): Promise<void>;
}

/** An outbox that records nothing (services built without webhooks, e.g. in unit tests). */
export const NO_OUTBOX: EventOutbox = { record: async () => {} };
