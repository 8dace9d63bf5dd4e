import type { EntityManager, FilterQuery } from '@mikro-orm/sql';
import { keysetPage, type KeysetCursor, type KeysetPage } from '../database/keyset-page.js';
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

/** Session listings, newest first (index `kyc_session_tenant_started_idx`). */
export function listSessions(em: EntityManager, options: { filter: SessionFilter; first: number; after?: KeysetCursor }): Promise<KeysetPage<Session>> {
  const { filter } = options;
  const where: FilterQuery<Session> = {
    ...(filter.statuses?.length ? { status: { $in: filter.statuses } } : {}),
    ...(filter.scenarioId ? { scenario: filter.scenarioId } : {}),
    ...(filter.externalUserId ? { externalUserId: filter.externalUserId } : {}),
    ...(filter.startedFrom || filter.startedTo
      ? { startedAt: { ...(filter.startedFrom ? { $gte: filter.startedFrom } : {}), ...(filter.startedTo ? { $lt: filter.startedTo } : {}) } }
      : {}),
  };
  return keysetPage(em, Session, { where, sortField: 'startedAt', first: options.first, after: options.after });
}
