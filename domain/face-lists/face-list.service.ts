import type { EntityManager } from '@mikro-orm/sql';
import { Face } from '../faces/face.entity.js';
import { FaceListEntry } from './face-list-entry.entity.js';
import { FaceListError } from './face-list.errors.js';
import { FaceList, FaceListKind } from './face-list.entity.js';

/** Who put a face on a list: an operator or a partner token. */
export type FaceListActor = { userId: string } | { tokenId: string };

/** Blacklists and customer lists: creating them, adding and removing faces. */
export class FaceListService {
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
    input: { tenantId: string; listId: string; faceId: string; reason?: string; actor?: FaceListActor },
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
      addedBy: input.actor && 'userId' in input.actor ? input.actor.userId : null,
      addedByTokenId: input.actor && 'tokenId' in input.actor ? input.actor.tokenId : null,
    });
    await em.flush();
    return entry;
  }

  /** Removes a face from a list. */
  async removeFace(em: EntityManager, input: { listId: string; faceId: string }): Promise<void> {
    const entry = await em.findOne(FaceListEntry, { list: input.listId, face: input.faceId });
    if (!entry) throw new FaceListError('ENTRY_NOT_FOUND', 'the face is not on this list');
    em.remove(entry);
    await em.flush();
  }
}
