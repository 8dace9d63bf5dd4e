import type { EntityManager } from '@mikro-orm/sql';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database } from '../database/database.js';
import { Face } from '../faces/face.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import type { SignedTokens } from '../tokens/signed-token.js';
import { Capture } from '../sessions/capture.entity.js';
import type { SessionService } from '../sessions/session.service.js';
import { cosineSimilarity } from '../../inference/index.js';
import { StepKind } from '../scenarios/scenario-step.entity.js';
import { SessionSummaryError } from './session-summary.errors.js';
import type { SessionSummary } from './session-summary.pdf.js';

/** How long a summary link opens. Short: it is a bearer credential for a person's identity documents. */
export const SUMMARY_LINK_TTL_MS = 5 * 60_000;
const LINK_KIND = 'pdf';

/**
 * The session summary for regulators (reference 004: "download the session verification details in .pdf format"):
 * a short-lived signed link, issued to a caller who may read the session, and the summary's content behind it.
 */
export class SessionSummaryService {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionService,
    private readonly blobs: BlobStore,
    /** Keyed for download links only (its own HKDF purpose), so no other token kind can pass for one. */
    private readonly links: SignedTokens,
  ) {}

  /** A link to the summary of a session of the caller's tenant (`em` is tenant-scoped: another tenant's is not found). */
  async link(em: EntityManager, tenantId: string, sessionId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    await this.sessions.get(em, sessionId);
    const expiresAt = new Date(now.getTime() + SUMMARY_LINK_TTL_MS);
    return { token: this.links.sign(LINK_KIND, { t: tenantId, s: sessionId }, expiresAt), expiresAt };
  }

  /**
   * The tenant and session a link names.
   * @throws SessionSummaryError LINK_EXPIRED for a genuine link past its time, LINK_INVALID for anything else.
   */
  open(token: string, now = new Date()): { tenantId: string; sessionId: string } {
    const claims = this.links.verify(LINK_KIND, token, now);
    if (!claims) {
      const genuine = this.links.verify(LINK_KIND, token, new Date(0)) !== null;
      throw genuine ? new SessionSummaryError('LINK_EXPIRED', 'this summary link has expired: ask for a new one') : new SessionSummaryError('LINK_INVALID', 'this is not a valid summary link');
    }
    if (typeof claims.t !== 'string' || typeof claims.s !== 'string') throw new SessionSummaryError('LINK_INVALID', 'this is not a valid summary link');
    return { tenantId: claims.t, sessionId: claims.s };
  }

  /**
   * Everything the summary shows, read in the session's tenant. Images deleted by retention appear as such.
   * @throws SessionError SESSION_NOT_FOUND when the session is gone (erased since the link was issued).
   */
  async gather(tenantId: string, sessionId: string): Promise<SessionSummary> {
    const em = this.db.forTenant(tenantId);
    const session = await this.sessions.get(em, sessionId);
    await em.populate(session, ['steps', 'scenario', 'scenarioVersion']);
    const tenant = await em.findOneOrFail(Tenant, tenantId);
    const captures = await em.find(Capture, { session: sessionId }, { orderBy: { createdAt: 'asc' } });
    const faces = await em.find(Face, { session: sessionId }, { orderBy: { createdAt: 'asc' } });
    const audit = await em.find(AuditEntry, { objectId: sessionId }, { orderBy: { createdAt: 'asc' } });
    const stepKind = new Map(session.steps.getItems().map((s) => [s.id, s.kind]));
    const faceOf = (kinds: StepKind[]) => faces.find((f) => f.embedding && kinds.includes(stepKind.get(captures.find((c) => c.id === f.capture.id)?.step.id ?? '') as StepKind));
    const portrait = faceOf([StepKind.DOCUMENT]);
    const selfie = faceOf([StepKind.SELFIE, StepKind.SELFIE_WITH_DOCUMENT]);
    const images = new Map<string, Buffer>();
    for (const capture of captures) {
      if (capture.blobKey) images.set(capture.id, await this.blobs.get(tenantId, capture.blobKey));
    }
    return {
      tenant: { name: tenant.name, slug: tenant.slug },
      scenario: { name: session.scenario.getEntity().name, schemaId: session.scenario.getEntity().schemaId, version: session.scenarioVersion.getEntity().version },
      session: {
        id: session.id,
        externalUserId: session.externalUserId ?? null,
        status: session.status,
        reviewAnswer: session.reviewAnswer ?? null,
        rejectType: session.rejectType ?? null,
        rejectLabels: session.rejectLabels,
        startedAt: session.startedAt,
        finishedAt: session.finishedAt ?? null,
        identity: session.identity,
        decision: session.decision ?? null,
        warnings: session.warnings,
      },
      faceMatch: portrait?.embedding && selfie?.embedding ? cosineSimilarity(portrait.embedding, selfie.embedding) : null,
      steps: session.steps.getItems().map((step) => ({
        position: step.position,
        kind: step.kind,
        status: step.status,
        warnings: step.warnings,
        captures: captures
          .filter((c) => c.step.id === step.id)
          .map((c) => ({
            createdAt: c.createdAt,
            image: images.get(c.id) ?? null,
            imagePurgedAt: c.imagePurgedAt ?? null,
            documentType: c.documentType ?? null,
            documentCountry: c.documentCountry ?? null,
            ocrFields: c.ocrFields,
            mrz: c.mrz ?? null,
            warnings: c.warnings,
            faces: faces.filter((f) => f.capture.id === c.id).map((f) => ({ age: numberOrNull(f.age), liveness: numberOrNull(f.livenessScore), antiSpoof: numberOrNull(f.antiSpoofScore) })),
          })),
      })),
      audit: audit.map((a) => ({ at: a.createdAt, actor: a.actorId ? `${a.actorType} ${a.actorId}` : a.actorType, action: a.action, details: a.details })),
    };
  }
}

/** A double column as read (the driver may hand back a string). */
function numberOrNull(value: string | number | null | undefined): number | null {
  return value == null ? null : Number(value);
}
