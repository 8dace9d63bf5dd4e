import type { EntityManager } from '@mikro-orm/sql';
import { ActorType } from '../audit/audit-entry.entity.js';
import { AuditService, type Actor } from '../audit/audit.service.js';
import { Face } from '../faces/face.entity.js';
import { FaceListEntry } from './face-list-entry.entity.js';
import { FaceListError } from './face-list.errors.js';
import { FaceList, FaceListKind } from './face-list.entity.js';
import { NO_OUTBOX, OutboxEventType, type EventOutbox } from '../events/event-outbox.js';

/** Blacklists and customer lists: creating them, adding and removing faces (audited). */
export class FaceListService {
  constructor(
    private readonly audit = new AuditService(),
    private readonly outbox: EventOutbox = NO_OUTBOX,
  ) {}

  /** The tenant's lists with their number of faces. */
  async list(em: EntityManager): Promise<{ list: FaceList; size: number }[]> {
    const lists = await em.find(FaceList, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const sized: { list: FaceList; size: number }[] = [];
    // A tenant has a handful of lists: one count each, through the ORM filter like every other read.
    for (const list of lists) sized.push({ list, size: await em.count(FaceListEntry, { list: list.id }) });
    return sized;
  }

  /**
   * The tenant's list `listId`, which must be of `kind`: a scenario that names another tenant's list, or a customer
   * list as its blacklist, would search (and fill) the wrong faces. `em` is tenant-scoped, so another tenant's list
   * answers like a missing one.
   */
  async requireKind(em: EntityManager, listId: string, kind: FaceListKind, argument: string): Promise<FaceList> {
    const list = await em.findOne(FaceList, { id: listId });
    if (!list) throw new FaceListError('FACE_LIST_NOT_FOUND', 'no such face list', { argument });
    if (list.kind !== kind) throw new FaceListError('FACE_LIST_WRONG_KIND', `the face list is a ${list.kind} list, not a ${kind} list`, { argument, kind: list.kind, expected: kind });
    return list;
  }

  /** Creates the blacklist and the customer list every tenant starts with. */
  async createDefaults(em: EntityManager, tenantId: string): Promise<{ blacklist: FaceList; customers: FaceList }> {
    const blacklist = em.create(FaceList, { tenant: tenantId, name: 'Blacklist', kind: FaceListKind.BLACKLIST });
    const customers = em.create(FaceList, { tenant: tenantId, name: 'Customers', kind: FaceListKind.CUSTOMERS });
    await em.flush();
    return { blacklist, customers };
  }

  /** Puts a face on a list (idempotent: adding it twice keeps the first entry). */
  async addFace(
    em: EntityManager,
    input: { tenantId: string; listId: string; faceId: string; reason?: string; actor: Actor },
  ): Promise<FaceListEntry> {
    const list = await em.findOne(FaceList, { id: input.listId });
    if (!list) throw new FaceListError('FACE_LIST_NOT_FOUND', 'no such face list');
    const face = await em.findOne(Face, { id: input.faceId });
    if (!face) throw new FaceListError('FACE_NOT_FOUND', 'no such face');
    // A face too small to embed can never be matched: listing it would promise a protection that does not exist.
    if (!face.embedding) throw new FaceListError('FACE_NOT_EMBEDDED', 'the face has no embedding (too small)');
    const existing = await em.findOne(FaceListEntry, { list: list.id, face: face.id });
    if (existing) return existing;
    const entry = em.create(FaceListEntry, {
      tenant: input.tenantId,
      list,
      face,
      reason: input.reason ?? null,
      addedBy: input.actor.type === ActorType.USER ? input.actor.id : null,
      addedByTokenId: input.actor.type === ActorType.TOKEN ? input.actor.id : null,
    });
    this.audit.record(em, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'facelist.add',
      objectType: 'Face',
      objectId: face.id,
      details: { listId: list.id, kind: list.kind, reason: input.reason ?? null },
    });
    await this.outbox.record(em, { type: OutboxEventType.FACE_LIST_CHANGED, tenantId: input.tenantId, faceListId: list.id, faceId: face.id, change: 'added' });
    await em.flush();
    return entry;
  }

  /** Removes a face from a list. */
  async removeFace(em: EntityManager, input: { tenantId: string; listId: string; faceId: string; actor: Actor }): Promise<void> {
    const entry = await em.findOne(FaceListEntry, { list: input.listId, face: input.faceId });
    if (!entry) throw new FaceListError('ENTRY_NOT_FOUND', 'the face is not on this list');
    em.remove(entry);
    this.audit.record(em, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'facelist.remove',
      objectType: 'Face',
      objectId: input.faceId,
      details: { listId: input.listId },
    });
    await this.outbox.record(em, { type: OutboxEventType.FACE_LIST_CHANGED, tenantId: input.tenantId, faceListId: input.listId, faceId: input.faceId, change: 'removed' });
    await em.flush();
  }
}
