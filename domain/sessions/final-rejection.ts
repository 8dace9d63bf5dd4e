import type { EntityManager } from '@mikro-orm/sql';
import type { ScenarioSettings } from '../scenarios/scenario-settings.js';
import { Session } from './session.entity.js';
import { RejectType, ReviewAnswer } from './session-status.js';

/**
 * A session finally rejected (reference 003: "Finally rejected applicants are blocked and cannot attempt verification
 * again"), by the engine or an operator. An operator's approval clears `rejectType`, which lifts the block.
 */
export const FINALLY_REJECTED = { reviewAnswer: ReviewAnswer.RED, rejectType: RejectType.FINAL } as const;

/** Whether a scenario version enforces FINAL rejections; versions stored before the setting existed do. */
export function blocksFinalRejections(settings: Partial<Pick<ScenarioSettings, 'blockFinalRejections'>>): boolean {
  return settings.blockFinalRejections !== false;
}

/** The latest FINAL rejection of `externalUserId` in the entity manager's tenant, if any. */
export async function findFinalRejection(em: EntityManager, externalUserId: string): Promise<Session | null> {
  return em.findOne(Session, { externalUserId, ...FINALLY_REJECTED }, { orderBy: { startedAt: 'desc' } });
}
