import type { EntityManager } from '@mikro-orm/sql';
import { LockMode } from '@mikro-orm/sql';
import type { Logger } from 'pino';
import { ActorType } from '../audit/audit-entry.entity.js';
import { AuditService, type Actor } from '../audit/audit.service.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/event-bus.js';
import { NO_OUTBOX, OutboxEventType, type EventOutbox } from '../events/event-outbox.js';
import { Topic } from '../events/event.types.js';
import { FaceListEntry } from '../face-lists/face-list-entry.entity.js';
import { Face } from '../faces/face.entity.js';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity.js';
import { Capture } from '../sessions/capture.entity.js';
import { Session } from '../sessions/session.entity.js';
import { SessionError } from '../sessions/session.errors.js';
import { SessionTombstone } from './session-tombstone.entity.js';

/** Who erases: an authenticated actor (an operator, a partner token), or a retention policy run by idgraph. */
export type ErasureCause = { actor: Actor } | { policy: string };

/** Audit detail keys that may hold free text about the applicant (a review note, a face-list reason). */
const FREE_TEXT_AUDIT_KEYS = ['note', 'reason'];

/**
 * GDPR erasure of one session (issue 20, art. 17): the images, the OCR values and MRZ, the embeddings and the
 * face-list memberships go in one transaction (the database cascades from the session row to its steps, captures,
 * faces and list entries, so no query or face search can find them afterwards); what stays is a tombstone with ids,
 * times and image hashes. The encrypted image files are removed after the commit: a failed commit keeps both.
 * Used by `deleteSession` and by the retention job, which names its policy instead of an actor.
 */
export class SessionErasureService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly outbox: EventOutbox = NO_OUTBOX,
    private readonly audit = new AuditService(),
  ) {}

  /** Erases `sessionId` of the tenant `em` is scoped to; returns the tombstone. Unknown (or already erased): SESSION_NOT_FOUND. */
  async erase(em: EntityManager, tenantId: string, sessionId: string, cause: ErasureCause, now = new Date()): Promise<SessionTombstone> {
    if ('policy' in cause && (cause.policy.trim().length === 0 || cause.policy.length > 200)) {
      throw new SessionError('INVALID_SESSION', 'an erasure policy needs a name of 1 to 200 characters');
    }
    const { tombstone, blobKeys } = await em.transactional(async (tx) => {
      const session = await tx.findOne(Session, { id: sessionId }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['scenarioVersion'] });
      if (!session) throw new SessionError('SESSION_NOT_FOUND', 'no such session');
      const captures = await tx.find(Capture, { session: sessionId }, { fields: ['id', 'sha256', 'byteSize', 'createdAt', 'blobKey'], orderBy: { createdAt: 'asc' } });
      const faces = await tx.find(Face, { session: sessionId }, { fields: ['id'] });
      const faceIds = faces.map((f) => f.id);
      const faceListEntryCount = faceIds.length ? await tx.count(FaceListEntry, { face: { $in: faceIds } }) : 0;
      // The audit trail stays (who did what, when), without the free text that may describe the applicant.
      const objectIds = [sessionId, ...faceIds];
      await tx.execute(
        `update audit_entry set details = (details - '${FREE_TEXT_AUDIT_KEYS.join("' - '")}') || '{"erased": true}'::jsonb
          where tenant_id = ? and object_id in (${objectIds.map(() => '?').join(', ')})`,
        [tenantId, ...objectIds],
      );
      // The applicant's own replayable answers (uploads with an Idempotency-Key) carry OCR values.
      await tx.nativeDelete(IdempotencyRecord, { principal: `applicant:${sessionId}` });
      const actor = 'actor' in cause ? cause.actor : null;
      const tombstone = tx.create(SessionTombstone, {
        id: session.id,
        tenant: tenantId,
        scenarioId: session.scenario.id,
        scenarioVersion: session.scenarioVersion.getEntity().version,
        status: session.status,
        startedAt: session.startedAt,
        finishedAt: session.finishedAt ?? null,
        deletedAt: now,
        deletedByType: actor?.type ?? null,
        deletedById: actor?.id ?? null,
        policy: 'policy' in cause ? cause.policy : null,
        captures: captures.map((c) => ({ id: c.id, sha256: c.sha256, byteSize: c.byteSize, createdAt: c.createdAt.toISOString() })),
        faceCount: faces.length,
        faceListEntryCount,
      });
      this.audit.record(tx, {
        tenantId,
        actor: actor ?? { type: ActorType.SYSTEM, id: null },
        action: 'session.delete',
        objectType: 'Session',
        objectId: sessionId,
        details: { captures: captures.length, faces: faces.length, faceListEntries: faceListEntryCount, ...('policy' in cause ? { policy: cause.policy } : {}) },
      });
      // The partners' backends hear of it in the same transaction (session.deleted, ids only).
      await this.outbox.record(tx, { type: OutboxEventType.SESSION_DELETED, tenantId, sessionId, scenarioId: session.scenario.id, externalUserId: session.externalUserId ?? null });
      await tx.flush();
      await tx.nativeDelete(Session, { id: sessionId });
      return { tombstone, blobKeys: captures.flatMap((c) => (c.blobKey ? [c.blobKey] : [])) };
    });
    for (const key of blobKeys) {
      // The rows are gone already; a file that cannot be removed is logged (by key only) for the operator to clean.
      await this.blobs.delete(tenantId, key).catch((err: unknown) => this.logger.error({ err, blobKey: key }, 'erased session: image file not removed'));
    }
    await this.events.publish({ topic: Topic.SESSION_DELETED, tenantId, sessionId, scenarioId: tombstone.scenarioId, status: tombstone.status, at: now.toISOString() });
    return tombstone;
  }
}
