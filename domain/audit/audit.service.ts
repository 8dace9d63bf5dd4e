import type { EntityManager } from '@mikro-orm/sql';
import { ActorType, AuditEntry } from './audit-entry.entity.js';

/** Who did something: a partner token, an operator, an applicant, or idgraph itself. */
export interface Actor {
  type: ActorType;
  id: string | null;
}

/** Appends audit entries (DESIGN §2): in the caller's transaction, so an action and its record commit together. */
export class AuditService {
  record(
    em: EntityManager,
    entry: { tenantId: string; actor: Actor; action: string; objectType: string; objectId: string | null; details?: Record<string, unknown> },
  ): AuditEntry {
    return em.create(AuditEntry, {
      tenant: entry.tenantId,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId,
      details: entry.details ?? {},
    });
  }
}
