import { createHash } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/sql';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database } from '../database/database.js';
import type { EventBus } from '../events/event-bus.js';
import { Topic, type SessionEvent } from '../events/event.types.js';
import { Face } from '../faces/face.entity.js';
import type { ScenarioSettings } from '../scenarios/scenario-settings.js';
import { ScenarioVersion } from '../scenarios/scenario-version.entity.js';
import { StepKind } from '../scenarios/scenario-step.entity.js';
import { CrossSessionRules } from '../verification/cross-session.rules.js';
import { decide, isCriticalFailure } from '../verification/decision-rules.js';
import type { CaptureAnalysis, StepFace, VerificationEngine } from '../verification/verification.engine.js';
import { differentDocuments, evaluateDocumentStep, type DocumentSideCapture, type DocumentStepEvaluation } from '../verification/document-step.rules.js';
import type { DocumentAnalysis } from '../../inference/index.js';
import type { MrzReading, OcrField } from './capture-data.js';
import { warn } from '../warnings/warning-policy.js';
import type { Warning } from '../warnings/warning.js';
import { Capture } from './capture.entity.js';
import { SessionStep } from './session-step.entity.js';
import { SessionStatus, StepStatus } from './session-status.js';
import { Session } from './session.entity.js';
import { SessionError } from './session.errors.js';
import { OPEN_STATUSES, type SessionService } from './session.service.js';
import { NO_OUTBOX, OutboxEventType, type EventOutbox } from '../events/event-outbox.js';

/** The outcome of one upload. */
export interface CaptureResult {
  session: Session;
  step: SessionStep;
  capture: Capture;
}

/**
 * One upload for a step (DESIGN §1): the session guard, the models (outside any lock: they take tens of
 * milliseconds), the encrypted image, then one transaction under the session's row lock that stores the capture and
 * its faces, evaluates the step, counts critical errors and decides the session once every step has passed or it is
 * blocked. Events go out after the commit.
 */
export class CaptureService {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionService,
    private readonly engine: VerificationEngine,
    private readonly blobs: BlobStore,
    private readonly events: EventBus,
    private readonly crossSession = new CrossSessionRules(),
    private readonly outbox: EventOutbox = NO_OUTBOX,
  ) {}

  async addCapture(input: { tenantId: string; sessionId: string; position: number; image: Buffer; now?: Date }): Promise<CaptureResult> {
    const { tenantId, sessionId, position, image } = input;
    const now = input.now ?? new Date();
    // Fail fast (frozen, finished, unknown step) before spending inference on the image.
    const { scenarioStep, settings } = await this.db.forTenant(tenantId).transactional(async (tx) => {
      const { session } = await this.sessions.lockForCapture(tx, sessionId, position, now);
      const version = await tx.findOneOrFail(ScenarioVersion, session.scenarioVersion.id, { populate: ['steps'] });
      return { scenarioStep: version.steps.getItems().find((s) => s.position === position)!, settings: version.settings };
    });
    const analysis = await this.engine.analyze(scenarioStep, image, settings, now);
    const blobKey = await this.blobs.put(tenantId, image);
    let result: CaptureResult & { decided: boolean };
    try {
      result = await this.db.forTenant(tenantId).transactional(async (tx) => {
        const recorded = await this.record(tx, { tenantId, sessionId, position, image, blobKey, analysis, settings, now });
        await this.outbox.record(tx, { type: OutboxEventType.SESSION_STEP_EVALUATED, session: recorded.session, step: recorded.step.position });
        if (recorded.decided) await this.outbox.record(tx, { type: OutboxEventType.SESSION_DECIDED, session: recorded.session });
        return recorded;
      });
    } catch (error) {
      await this.blobs.delete(tenantId, blobKey);
      throw error;
    }
    await this.publish(result, now);
    return result;
  }

  private async record(
    tx: EntityManager,
    input: { tenantId: string; sessionId: string; position: number; image: Buffer; blobKey: string; analysis: CaptureAnalysis; settings: ScenarioSettings; now: Date },
  ): Promise<CaptureResult & { decided: boolean }> {
    const { tenantId, analysis, settings, now } = input;
    const { session, step } = await this.sessions.lockForCapture(tx, input.sessionId, input.position, now);
    const capture = tx.create(Capture, {
      tenant: tenantId,
      session,
      step,
      blobKey: input.blobKey,
      sha256: createHash('sha256').update(input.image).digest('hex'),
      byteSize: input.image.length,
      image: { format: input.image[0] === 0x89 ? 'png' : 'jpeg', width: analysis.width, height: analysis.height },
      warnings: analysis.warnings,
      quality: analysis.faces[0]?.sharpness != null ? { faceSharpness: analysis.faces[0].sharpness } : {},
      ...(analysis.document ? documentColumns(analysis.document) : {}),
    });
    const document = analysis.document ? await this.documentStep(tx, { step, capture, hasPortrait: analysis.faces.length > 0, settings }) : undefined;
    if (document) session.identity = { ...session.identity, ...document.identity };
    for (const face of analysis.faces) {
      tx.create(Face, {
        tenant: tenantId,
        session,
        capture,
        box: face.box,
        landmarks: face.landmarks5.map((p) => [p.x, p.y] as [number, number]),
        embedding: face.embedding,
        detectorScore: face.score,
        size: face.size,
        age: face.age,
        gender: face.gender?.value ?? null,
        antiSpoofScore: face.liveness?.score ?? null,
        livenessScore: face.liveness?.score ?? null,
        sharpness: face.sharpness,
      });
    }

    // A document step is judged on what stands across its captures; an ID card with one side so far waits for the other.
    const standing = document?.standing ?? capture.warnings;
    const stepDecision = decide({ warnings: standing, checks: settings.checks, scenarioVersion: 0, now });
    step.attempts += 1;
    step.warnings = document?.warnings ?? capture.warnings;
    step.evaluatedAt = now;
    step.status =
      document?.missing && stepDecision.status === SessionStatus.SUCCESS ? StepStatus.PENDING
      : stepDecision.status === SessionStatus.FAILED ? StepStatus.FAILED
      : stepDecision.status === SessionStatus.SUSPICIOUS ? StepStatus.SUSPICIOUS
      : stepDecision.needsReview ? StepStatus.REVIEW
      : StepStatus.PASSED;
    session.attempts += 1;
    // An applicant back from an idle pause is active again (the sweep would otherwise expire a working session).
    if (session.status === SessionStatus.IDLE) session.status = SessionStatus.IN_PROGRESS;
    // Brute-force guard (reference 001, "critical errors before blocking"): one error per failed upload.
    // This upload's own findings that stand (a card front's reading findings wait for, or are settled by, the back).
    const own = capture.warnings.filter((w) => standing.some((s) => s.code === w.code));
    if (isCriticalFailure(own, settings.checks)) session.criticalErrorCount += 1;

    const steps = await tx.find(SessionStep, { session: session.id }, { orderBy: { position: 'asc' } });
    let decided = false;
    if (session.criticalErrorCount >= settings.criticalErrorsBeforeBlock) {
      const blocked = warn('SESSION_BLOCKED', 1, { value: session.criticalErrorCount, threshold: settings.criticalErrorsBeforeBlock });
      await this.conclude(tx, { tenantId, session, steps, current: capture, extra: [blocked], now });
      decided = true;
    } else if (steps.every((s) => s.status !== StepStatus.PENDING && s.status !== StepStatus.FAILED)) {
      await this.conclude(tx, { tenantId, session, steps, current: capture, extra: [], now });
      decided = true;
    }
    await tx.flush();
    return { session, step, capture, decided };
  }

  /**
   * A document step over all its captures, the one being recorded last (an ID card comes as two, front and back, in
   * either order): two different documents in the step (reference 001, scenario flag) marked on this capture, then
   * the step's rules across its sides.
   */
  private async documentStep(
    tx: EntityManager,
    input: { step: SessionStep; capture: Capture; hasPortrait: boolean; settings: ScenarioSettings },
  ): Promise<DocumentStepEvaluation> {
    const { step, capture } = input;
    const stored = await tx.find(Capture, { step: step.id, id: { $ne: capture.id } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const faces = stored.length ? await tx.find(Face, { capture: { $in: stored.map((c) => c.id) } }) : [];
    const earlier = stored.map((c) => sideCapture(c, faces.some((f) => f.capture.id === c.id)));
    if (input.settings.blockDifferentDocumentsInStep && earlier.some((c) => differentDocuments(c, sideCapture(capture, input.hasPortrait)))) {
      capture.warnings = [...capture.warnings, warn('DIFFERENT_DOCUMENTS_IN_STEP', 1, { step: step.position })];
    }
    return evaluateDocumentStep([...earlier, sideCapture(capture, input.hasPortrait)]);
  }

  /**
   * Decides a session, whichever way it ends (every step passed, blocked, or submitted with failed steps): the rules
   * across steps and across sessions run on the faces the steps found, so a blacklisted applicant is SUSPICIOUS
   * (BLOCKLIST, FINAL) however the steps went. The session's own warnings are stored, and a successful face joins
   * the customer list. `current` is the capture an upload just stored, which speaks for its step.
   */
  private async conclude(
    tx: EntityManager,
    input: { tenantId: string; session: Session; steps: SessionStep[]; current?: Capture; extra: Warning[]; now: Date },
  ): Promise<void> {
    const { tenantId, session, steps, now } = input;
    const version = await tx.findOneOrFail(ScenarioVersion, session.scenarioVersion.id);
    const settings = version.settings;
    // The faces must be in the database before searching, and this session's own are left out of the search.
    await tx.flush();
    const faces = await this.stepFaces(tx, steps, input.current);
    session.warnings = [
      ...input.extra,
      ...this.engine.sessionWarnings(faces, settings.checks),
      ...(await this.crossSession.warnings(tx, { tenantId, session, settings, faces })),
    ];
    const decision = decide({ warnings: [...steps.flatMap((s) => s.warnings), ...session.warnings], checks: settings.checks, scenarioVersion: version.version, now });
    session.status = decision.status;
    session.reviewAnswer = decision.reviewAnswer;
    session.rejectType = decision.rejectType;
    session.rejectLabels = decision.rejectLabels;
    session.needsReview = decision.needsReview;
    session.decision = decision.explanation;
    session.finishedAt = now;
    if (session.status === SessionStatus.SUCCESS) await this.crossSession.rememberCustomer(tx, { tenantId, session, settings, faces });
  }

  /**
   * The main face (largest with an embedding) of each step's latest capture. The upload being recorded is taken as it
   * is rather than found again by `createdAt`: that comes from each node's clock and the id is random, so clock skew
   * between nodes (or one shared millisecond) could otherwise pick an older capture of the step.
   */
  private async stepFaces(tx: EntityManager, steps: SessionStep[], current?: Capture): Promise<StepFace[]> {
    const faces: StepFace[] = [];
    for (const s of steps) {
      const latest =
        current?.step.id === s.id ? current : await tx.findOne(Capture, { step: s.id }, { orderBy: { createdAt: 'desc', id: 'desc' } });
      if (!latest) continue;
      const face =
        (await tx.findOne(Face, { capture: latest.id, embedding: { $ne: null } }, { orderBy: { size: 'desc' } })) ??
        // A card's back has no portrait: the document step's face is its latest front's.
        (s.kind === StepKind.DOCUMENT ? await tx.findOne(Face, { capture: { step: s.id }, embedding: { $ne: null } }, { orderBy: { capture: { createdAt: 'desc' }, size: 'desc' } }) : null);
      if (face?.embedding) faces.push({ position: s.position, kind: s.kind, embedding: face.embedding });
    }
    return faces;
  }

  /**
   * The applicant is done (`submitSession`): a session whose every step has been tried is decided now on what its
   * steps found, failed steps included (their rejections make it FAILED), with the rules across steps and sessions;
   * one with an untried step is refused. A session already decided is returned as it is.
   */
  async submit(input: { tenantId: string; sessionId: string; now?: Date }): Promise<Session> {
    const now = input.now ?? new Date();
    let decided = false;
    const session = await this.db.forTenant(input.tenantId).transactional(async (tx) => {
      const found = await tx.findOne(Session, { id: input.sessionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!found) throw new SessionError('SESSION_NOT_FOUND', 'no such session');
      if (!OPEN_STATUSES.includes(found.status)) return found;
      const steps = await tx.find(SessionStep, { session: found.id }, { orderBy: { position: 'asc' } });
      const untried = steps.filter((s) => s.status === StepStatus.PENDING && s.attempts === 0).map((s) => s.position);
      if (untried.length > 0) throw new SessionError('INVALID_SESSION', `steps ${untried.join(', ')} have no upload yet`, { steps: untried });
      // A step still waiting for a card's other side fails now (its DOCUMENT_*_MISSING warning rejects).
      for (const s of steps) if (s.status === StepStatus.PENDING) s.status = StepStatus.FAILED;
      await this.conclude(tx, { tenantId: input.tenantId, session: found, steps, extra: [], now });
      await this.outbox.record(tx, { type: OutboxEventType.SESSION_DECIDED, session: found });
      decided = true;
      return found;
    });
    if (decided) {
      await this.events.publish({
        topic: Topic.SESSION_DECIDED,
        tenantId: input.tenantId,
        sessionId: session.id,
        scenarioId: session.scenario.id,
        status: session.status,
        warnings: session.warnings,
        at: now.toISOString(),
      });
    }
    return session;
  }

  private async publish(result: CaptureResult & { decided: boolean }, now: Date): Promise<void> {
    const base: Omit<SessionEvent, 'topic'> = {
      tenantId: result.session.tenant.id,
      sessionId: result.session.id,
      scenarioId: result.session.scenario.id,
      status: result.session.status,
      step: result.step.position,
      at: now.toISOString(),
    };
    await this.events.publish({ ...base, topic: Topic.CAPTURE_RECEIVED });
    await this.events.publish({ ...base, topic: Topic.STEP_EVALUATED, warnings: result.step.warnings });
    if (result.decided) await this.events.publish({ ...base, topic: Topic.SESSION_DECIDED, step: undefined, warnings: result.session.warnings });
  }
}

/** What a document reading stores on its capture (DESIGN §2: detected type and country, OCR fields, MRZ, quality). */
function documentColumns(doc: DocumentAnalysis) {
  return {
    documentType: doc.kind === 'UNKNOWN' ? null : doc.kind,
    documentCountry: doc.country,
    ocrFields: doc.fields.map(
      (f): OcrField => ({
        title: f.name,
        value: f.value ?? '',
        ...(f.valueUTC ? { valueUTC: f.valueUTC } : {}),
        confidence: f.confidence,
        isMismatch: f.isMismatch,
        isUnreadable: f.isUnreadable,
        isEdited: false,
        imageIndex: 0,
      }),
    ),
    mrz: doc.mrz
      ? ({
          format: doc.mrz.format,
          lines: [...doc.mrz.lines],
          fields: { ...doc.mrz.fields } as Record<string, string | null>,
          checks: doc.mrz.checks.map((c) => ({ name: c.name, valid: c.valid, digit: c.digit, expected: c.expected })),
          valid: doc.mrz.valid,
        } satisfies MrzReading)
      : null,
    quality: {
      sharpness: doc.forensics.sharpness,
      blur: doc.forensics.blur,
      glare: doc.forensics.glare,
      blackAndWhite: doc.forensics.blackAndWhite,
      screen: doc.forensics.screen,
    },
  };
}

/** A stored document capture as the step's rules see it. */
function sideCapture(capture: Capture, hasPortrait: boolean): DocumentSideCapture {
  const { ocrFields, warnings } = capture;
  return { documentType: capture.documentType ?? null, documentCountry: capture.documentCountry ?? null, ocrFields, mrz: capture.mrz ?? null, warnings, hasPortrait };
}
