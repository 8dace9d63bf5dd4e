import type { EntityManager, FilterQuery } from '@mikro-orm/sql';
import { keysetPage, type KeysetCursor, type KeysetPage } from '../database/keyset-page.js';
import type { Row } from '../database/read-rows.js';
import { Session } from './session.entity.js';
import type { SessionStatus } from './session-status.js';

/** Filters of a session listing; every field optional. */
export interface SessionFilter {
  statuses?: SessionStatus[];
  scenarioId?: string;
  externalUserId?: string;
  startedFrom?: Date;
  startedTo?: Date;
}

/** The columns a session listing can be ordered by; `finishedAt` is empty while a session runs. */
export const SESSION_ORDER_FIELDS = {
  startedAt: { nullable: false },
  updatedAt: { nullable: false },
  finishedAt: { nullable: true },
  status: { nullable: false },
} as const satisfies Partial<Record<keyof Session, { nullable: boolean }>>;

/** How a listing is ordered; ties are broken by id, so pages are stable for sessions that do not change while paging. */
export interface SessionOrder {
  field: keyof typeof SESSION_ORDER_FIELDS;
  direction: 'asc' | 'desc';
}

/** Newest first (index `kyc_session_tenant_started_idx`). */
export const DEFAULT_SESSION_ORDER: SessionOrder = { field: 'startedAt', direction: 'desc' };

/**
 * Session listings, newest first by default. By `finishedAt`, sessions still running count as finishing after every
 * finished one (last ascending, first descending: one index serves both); `status` orders by the status name.
 */
export function listSessions(
  em: EntityManager,
  options: { filter: SessionFilter; order?: SessionOrder; first: number; after?: KeysetCursor },
): Promise<KeysetPage<Row<Session>>> {
  const { filter, order = DEFAULT_SESSION_ORDER } = options;
  const where: FilterQuery<Session> = {
    ...(filter.statuses?.length ? { status: { $in: filter.statuses } } : {}),
    ...(filter.scenarioId ? { scenario: filter.scenarioId } : {}),
    ...(filter.externalUserId ? { externalUserId: filter.externalUserId } : {}),
    ...(filter.startedFrom || filter.startedTo
      ? { startedAt: { ...(filter.startedFrom ? { $gte: filter.startedFrom } : {}), ...(filter.startedTo ? { $lt: filter.startedTo } : {}) } }
      : {}),
  };
  return keysetPage(em, Session, {
    where,
    sortField: order.field,
    direction: order.direction,
    nullable: SESSION_ORDER_FIELDS[order.field].nullable,
    first: options.first,
    after: options.after,
  });
}
