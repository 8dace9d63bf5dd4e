import type { EntityManager } from '@mikro-orm/sql';
import { FACE_MATCH_THRESHOLD } from '../../inference/index.js';
import { FaceListError } from '../face-lists/face-list.errors.js';
import { Face } from './face.entity.js';
import { searchSimilarFaces, type FaceSearchHit } from './face-search.repository.js';

/** Links between sessions through their faces. */
export class FaceMatchService {
  /**
   * The other sessions of the tenant in which the person of `faceId` appears (best face per session, most similar
   * first), at the calibrated match threshold.
   */
  async sameFace(em: EntityManager, tenantId: string, faceId: string, limit: number): Promise<FaceSearchHit[]> {
    const face = await em.findOne(Face, { id: faceId });
    if (!face) throw new FaceListError('FACE_NOT_FOUND', 'no such face');
    if (!face.embedding) return [];
    // A session can hold several captures of the person: ask for more and keep each session's best face.
    const hits = await searchSimilarFaces(em, {
      tenantId,
      embedding: face.embedding,
      limit: limit * 4,
      minSimilarity: FACE_MATCH_THRESHOLD,
      excludeSessionId: face.session.id,
    });
    const best = new Map<string, FaceSearchHit>();
    for (const hit of hits) if (!best.has(hit.sessionId)) best.set(hit.sessionId, hit);
    return [...best.values()].slice(0, limit);
  }
}
