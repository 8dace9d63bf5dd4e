import type { EntityManager } from '@mikro-orm/sql';
import { ActorType } from '../audit/audit-entry.entity.js';
import { nearestOnList } from '../face-lists/face-list.search.js';
import { FaceListService } from '../face-lists/face-list.service.js';
import { Face } from '../faces/face.entity.js';
import { searchSimilarFaces } from '../faces/face-search.repository.js';
import type { ScenarioSettings } from '../scenarios/scenario-settings.js';
import type { SessionIdentity } from '../sessions/session-identity.js';
import { Session } from '../sessions/session.entity.js';
import { blocksFinalRejections, FINALLY_REJECTED } from '../sessions/final-rejection.js';
import type { WarningCode } from '../warnings/warning-catalogue.js';
import { effectiveCheck, warn } from '../warnings/warning-policy.js';
import type { Warning } from '../warnings/warning.js';
import type { StepFace } from './verification.engine.js';

/** Identity fields that must agree for two sessions of one face to be the same applicant (reference 000). */
const IDENTITY_KEYS = ['surname', 'givenNames', 'birthDate', 'documentNumber'] as const;

/**
 * Rules across the tenant's sessions, on pgvector (DESIGN §3, reference 000): the blacklist (USER_BLACKLISTED,
 * BLOCKLIST FINAL), a returning customer (RETURNING_CUSTOMER), and the same face with different personal data in
 * another session (REPEATED_FACE_DIFFERENT_DATA) when the scenario's flag asks for it, and the face of an applicant
 * finally rejected before (FINAL_REJECTED_FACE, reference 003) unless the scenario turns FINAL blocks off.
 */
export class CrossSessionRules {
  constructor(private readonly faceLists = new FaceListService()) {}

  async warnings(
    em: EntityManager,
    input: { tenantId: string; session: Session; settings: ScenarioSettings; faces: readonly StepFace[] },
  ): Promise<Warning[]> {
    const { tenantId, session, settings } = input;
    // Each search has its own threshold (the scenario's check, else the catalogue's default).
    const threshold = (code: WarningCode) => effectiveCheck(code, settings.checks).threshold!;
    const warnings: Warning[] = [];
    const seen = new Set<string>();
    for (const face of input.faces) {
      const search = (code: WarningCode) => ({ tenantId, embedding: face.embedding, minSimilarity: threshold(code), excludeSessionId: session.id });
      if (settings.blacklistFaceListId && !seen.has('USER_BLACKLISTED')) {
        const hit = await nearestOnList(em, { ...search('USER_BLACKLISTED'), listId: settings.blacklistFaceListId });
        if (hit) {
          seen.add('USER_BLACKLISTED');
          warnings.push(warn('USER_BLACKLISTED', hit.similarity, { value: round(hit.similarity), threshold: threshold('USER_BLACKLISTED'), faceId: hit.faceId, sessionId: hit.sessionId }));
        }
      }
      if (settings.customerFaceListId && !seen.has('RETURNING_CUSTOMER')) {
        const hit = await nearestOnList(em, { ...search('RETURNING_CUSTOMER'), listId: settings.customerFaceListId });
        if (hit) {
          seen.add('RETURNING_CUSTOMER');
          warnings.push(warn('RETURNING_CUSTOMER', hit.similarity, { value: round(hit.similarity), threshold: threshold('RETURNING_CUSTOMER'), sessionId: hit.sessionId }));
        }
      }
      if (settings.blockSamePersonWithDifferentData && !seen.has('REPEATED_FACE_DIFFERENT_DATA') && hasIdentity(session.identity)) {
        const hits = await searchSimilarFaces(em, { ...search('REPEATED_FACE_DIFFERENT_DATA'), limit: 10 });
        const others = hits.length ? await em.find(Session, { id: { $in: [...new Set(hits.map((h) => h.sessionId))] } }) : [];
        const conflicting = others.find((other) => differentPerson(session.identity, other.identity));
        if (conflicting) {
          const hit = hits.find((h) => h.sessionId === conflicting.id)!;
          seen.add('REPEATED_FACE_DIFFERENT_DATA');
          warnings.push(
            warn('REPEATED_FACE_DIFFERENT_DATA', hit.similarity, {
              value: round(hit.similarity),
              threshold: threshold('REPEATED_FACE_DIFFERENT_DATA'),
              sessionId: conflicting.id,
              fields: IDENTITY_KEYS.filter((k) => session.identity[k] && conflicting.identity[k] && session.identity[k] !== conflicting.identity[k]).join(','),
            }),
          );
        }
      }
      if (blocksFinalRejections(settings) && !seen.has('FINAL_REJECTED_FACE')) {
        const hits = await searchSimilarFaces(em, { ...search('FINAL_REJECTED_FACE'), limit: 10 });
        const rejected = hits.length ? await em.find(Session, { id: { $in: [...new Set(hits.map((h) => h.sessionId))] }, ...FINALLY_REJECTED }, { fields: ['id'] }) : [];
        // Hits come best first: the closest finally rejected face is the one reported.
        const hit = hits.find((h) => rejected.some((r) => r.id === h.sessionId));
        if (hit) {
          seen.add('FINAL_REJECTED_FACE');
          warnings.push(warn('FINAL_REJECTED_FACE', hit.similarity, { value: round(hit.similarity), threshold: threshold('FINAL_REJECTED_FACE'), sessionId: hit.sessionId }));
        }
      }
    }
    return warnings;
  }

  /** A successful applicant's face joins the scenario's customer list, so the next visit is recognised. */
  async rememberCustomer(
    em: EntityManager,
    input: { tenantId: string; session: Session; settings: ScenarioSettings; faces: readonly StepFace[] },
  ): Promise<void> {
    const listId = input.settings.customerFaceListId;
    const main = input.faces.find((f) => f.kind !== 'DOCUMENT') ?? input.faces[0];
    if (!listId || !main) return;
    const face = await em.findOne(Face, { session: input.session.id, embedding: { $ne: null } }, { orderBy: { size: 'desc' } });
    if (!face) return;
    await this.faceLists.addFace(em, { tenantId: input.tenantId, listId, faceId: face.id, reason: 'verified customer', actor: { type: ActorType.SYSTEM, id: null } });
  }
}

function hasIdentity(identity: SessionIdentity): boolean {
  return IDENTITY_KEYS.some((k) => Boolean(identity[k]));
}

/** Two identities conflict when a field both know differs (a missing field is not a difference). */
function differentPerson(a: SessionIdentity, b: SessionIdentity): boolean {
  return IDENTITY_KEYS.some((k) => a[k] && b[k] && normalise(a[k]!) !== normalise(b[k]!));
}

function normalise(value: string): string {
  return value.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
