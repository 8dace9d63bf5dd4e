import type { EntityManager } from '@mikro-orm/sql';
import { LockMode } from '@mikro-orm/sql';
import type { Database } from '../database/database.js';
import type { EventBus } from '../events/event-bus.js';
import { Topic } from '../events/event.types.js';
import type { ScenarioService } from '../scenarios/scenario.service.js';
import { SessionError } from './session.errors.js';
import { SessionStep } from './session-step.entity.js';
import { RejectType, ReviewAnswer, SessionStatus } from './session-status.js';
import { AuditService, type Actor } from '../audit/audit.service.js';
import { Session } from './session.entity.js';
import { blocksFinalRejections, findFinalRejection } from './final-rejection.js';

/** Input of {@link SessionService.create}. */
export interface CreateSessionInput {
  /** The scenario by id or by its public schema id. */
  scenario: { id: string } | { schemaId: string };
  externalUserId?: string | null;
  metadata?: Record<string, unknown>;
  clientIp?: string | null;
  userAgent?: string | null;
  kycLinkId?: string | null;
}

/** Statuses in which a session still accepts captures. */
export const OPEN_STATUSES: readonly SessionStatus[] = [SessionStatus.IN_PROGRESS, SessionStatus.IDLE];

/** Largest accepted `metadata` document, serialised. Partners attach ids, not files. */
const MAX_METADATA_BYTES = 8 * 1024;

/**
 * The session lifecycle: creation against the scenario's current version, the guard every upload passes (open,
 * not frozen, not blocked), and the sweep that turns abandoned sessions IDLE and then EXPIRED.
 */
export class SessionService {
  constructor(
    private readonly db: Database,
    private readonly scenarios: ScenarioService,
    private readonly events: EventBus,
    private readonly audit = new AuditService(),
  ) {}

  /** Opens a session with one step per scenario step; its deadline is now + the scenario's lifetime. */
  async create(em: EntityManager, tenantId: string, input: CreateSessionInput, now = new Date()): Promise<Session> {
    const session = await this.prepare(em, tenantId, input, now);
    await em.flush();
    await this.announceCreated(session, now);
    return session;
  }

  /**
   * Adds a new session to the caller's unit of work without flushing, for callers that open a session inside their
   * own transaction (a one-time link); they call {@link announceCreated} once it has committed.
   */
  async prepare(em: EntityManager, tenantId: string, input: CreateSessionInput, now = new Date()): Promise<Session> {
    const metadata = input.metadata ?? {};
    if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES) {
      throw new SessionError('INVALID_SESSION', `metadata exceeds ${MAX_METADATA_BYTES} bytes`);
    }
    if (input.externalUserId && input.externalUserId.length > 200) {
      throw new SessionError('INVALID_SESSION', 'externalUserId exceeds 200 characters');
    }
    const { scenario, version } = await this.scenarios.current(em, input.scenario);
    if (input.externalUserId && blocksFinalRejections(version.settings)) {
      const rejected = await findFinalRejection(em, input.externalUserId);
      if (rejected) throw new SessionError('APPLICANT_BLOCKED', 'this applicant was finally rejected and cannot start a new verification', { sessionId: rejected.id });
    }
    const session = em.create(Session, {
      tenant: tenantId,
      scenario,
      scenarioVersion: version,
      externalUserId: input.externalUserId ?? null,
      metadata,
      clientIp: input.clientIp ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      kycLinkId: input.kycLinkId ?? null,
      startedAt: now,
      frozenAt: new Date(now.getTime() + version.settings.sessionLifetimeMinutes * 60_000),
    });
    for (const step of version.steps.getItems()) {
      session.steps.add(em.create(SessionStep, { tenant: tenantId, session, position: step.position, kind: step.kind }));
    }
    return session;
  }

  /** Publishes SESSION_CREATED; called after the commit, so subscribers never hear of a session that does not exist. */
  async announceCreated(session: Session, now = new Date()): Promise<void> {
    await this.events.publish({
      topic: Topic.SESSION_CREATED,
      tenantId: session.tenant.id,
      sessionId: session.id,
      scenarioId: session.scenario.id,
      status: session.status,
      at: now.toISOString(),
    });
  }

  /**
   * Locks the session row for the rest of the caller's transaction and checks that it accepts a capture for the
   * step (not frozen, not blocked, not finished). The lock serialises concurrent uploads to one session, so no evaluation overwrites another's result.
   */
  async lockForCapture(tx: EntityManager, sessionId: string, position: number, now = new Date()): Promise<{ session: Session; step: SessionStep }> {
    const session = await tx.findOne(Session, { id: sessionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!session) throw new SessionError('SESSION_NOT_FOUND', 'no such session');
    // Blocked after too many critical errors (reference 001): said as such, so the applicant is not told to retry.
    if (session.warnings.some((w) => w.code === 'SESSION_BLOCKED')) {
      throw new SessionError('SESSION_BLOCKED', 'too many critical errors: the session is blocked', { criticalErrors: session.criticalErrorCount });
    }
    if (session.status === SessionStatus.EXPIRED || session.frozenAt <= now) {
      throw new SessionError('SESSION_FROZEN', 'the session lifetime is over: no more uploads', { frozenAt: session.frozenAt.toISOString() });
    }
    if (!OPEN_STATUSES.includes(session.status)) {
      throw new SessionError('SESSION_FINISHED', `the session is finished (${session.status})`, { status: session.status });
    }
    const step = await tx.findOne(SessionStep, { session: session.id, position });
    if (!step) throw new SessionError('STEP_NOT_FOUND', `the scenario has no step ${position}`, { position });
    return { session, step };
  }

  /**
   * The sweep run periodically by every node. Each transition is one conditional UPDATE: when several nodes sweep
   * at once, PostgreSQL's row locks let exactly one of them move each row (the others re-check the condition after
   * the winner commits and skip it), so the job needs no leader and no process-local timers, and it resumes after a
   * restart because the deadlines are in the rows. Returns the sessions this call moved, for their events.
   */
  async sweep(now = new Date(), idleAfterMs = 15 * 60_000): Promise<{ expired: SweptSession[]; idled: SweptSession[] }> {
    const em = this.db.asSystem();
    const expired = await em.execute<SweptSession[]>(
      `update kyc_session set status = ?, finished_at = ?, updated_at = ?, version = version + 1
        where status in (?, ?) and frozen_at <= ? returning id, tenant_id as "tenantId", scenario_id as "scenarioId"`,
      [SessionStatus.EXPIRED, now, now, SessionStatus.IN_PROGRESS, SessionStatus.IDLE, now],
    );
    const idled = await em.execute<SweptSession[]>(
      `update kyc_session set status = ?, version = version + 1
        where status = ? and updated_at <= ? and frozen_at > ? returning id, tenant_id as "tenantId", scenario_id as "scenarioId"`,
      [SessionStatus.IDLE, SessionStatus.IN_PROGRESS, new Date(now.getTime() - idleAfterMs), now],
    );
    for (const [rows, status] of [[expired, SessionStatus.EXPIRED], [idled, SessionStatus.IDLE]] as const) {
      for (const row of rows) {
        await this.events.publish({ topic: Topic.SESSION_STATUS_CHANGED, tenantId: row.tenantId, sessionId: row.id, scenarioId: row.scenarioId, status, at: now.toISOString() });
      }
    }
    return { expired, idled };
  }

  /**
   * An operator's manual decision (DESIGN §3): approve (SUCCESS, GREEN) or reject (FAILED, RED, with labels and
   * RETRY/FINAL) with a note. Only a session the engine has finished can be reviewed; the review replaces the
   * decision, keeps what the engine found in the explanation, is audited in the same transaction, and is announced.
   */
  async review(
    em: EntityManager,
    input: { tenantId: string; sessionId: string; approve: boolean; note: string; rejectType?: RejectType; rejectLabels?: string[]; actor: Actor },
    now = new Date(),
  ): Promise<Session> {
    const note = input.note.trim();
    if (note.length === 0 || note.length > 2000) throw new SessionError('INVALID_SESSION', 'a review needs a note of 1 to 2000 characters');
    const session = await em.transactional(async (tx) => {
      const found = await tx.findOne(Session, { id: input.sessionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!found) throw new SessionError('SESSION_NOT_FOUND', 'no such session');
      if (OPEN_STATUSES.includes(found.status)) {
        throw new SessionError('INVALID_SESSION', 'the session is still in progress: it can be reviewed once decided', { status: found.status });
      }
      // Approving a FINAL rejection lifts the applicant's block: said in the audit entry, which is what an auditor looks for.
      const liftsFinalRejection = input.approve && found.reviewAnswer === ReviewAnswer.RED && found.rejectType === RejectType.FINAL;
      found.status = input.approve ? SessionStatus.SUCCESS : SessionStatus.FAILED;
      found.reviewAnswer = input.approve ? ReviewAnswer.GREEN : ReviewAnswer.RED;
      found.rejectType = input.approve ? null : (input.rejectType ?? RejectType.RETRY);
      found.rejectLabels = input.approve ? [] : (input.rejectLabels ?? found.rejectLabels);
      found.decision = {
        scenarioVersion: found.decision?.scenarioVersion ?? 0,
        warnings: found.decision?.warnings ?? [],
        decidedAt: now.toISOString(),
        decidedBy: 'REVIEW',
        note,
      };
      found.needsReview = false;
      found.finishedAt ??= now;
      this.audit.record(tx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: 'session.review',
        objectType: 'Session',
        objectId: found.id,
        details: { approve: input.approve, note, rejectType: found.rejectType, rejectLabels: found.rejectLabels, ...(liftsFinalRejection ? { liftsFinalRejection } : {}) },
      });
      return found;
    });
    await this.events.publish({
      topic: Topic.SESSION_REVIEWED,
      tenantId: input.tenantId,
      sessionId: session.id,
      scenarioId: session.scenario.id,
      status: session.status,
      at: now.toISOString(),
    });
    return session;
  }

  /** Reads a session of the caller's tenant. */
  async get(em: EntityManager, sessionId: string): Promise<Session> {
    const session = await em.findOne(Session, { id: sessionId });
    if (!session) throw new SessionError('SESSION_NOT_FOUND', 'no such session');
    return session;
  }
}

/** A session moved by the sweep. */
export interface SweptSession {
  id: string;
  tenantId: string;
  scenarioId: string;
}
