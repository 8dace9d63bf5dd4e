import type { Session } from '../../domain/sessions/session.entity.js';
import type { SessionStep } from '../../domain/sessions/session-step.entity.js';
import type { Warning, WarningSeverity } from '../../domain/warnings/warning.js';
import type { Capture } from '../../domain/sessions/capture.entity.js';
import type { Row } from '../../domain/database/read-rows.js';
import type { CaptureType, SessionStepType, SessionType, WarningType } from './session.type.js';

/** Warning value object → API shape. */
export function toWarningType(w: Warning): WarningType {
  return { code: w.code, severity: w.severity, confidence: w.confidence, message: w.message, params: w.params ?? {} };
}

/** Session (entity or row) → API shape; scenario, version and steps are resolved by loaders. */
export function toSessionType(s: Row<Session>): SessionType {
  return {
    id: s.id,
    status: s.status,
    externalUserId: s.externalUserId ?? null,
    metadata: s.metadata,
    reviewAnswer: s.reviewAnswer ?? null,
    rejectType: s.rejectType ?? null,
    rejectLabels: s.rejectLabels,
    warnings: s.warnings.map(toWarningType),
    decision: s.decision
      ? {
          scenarioVersion: s.decision.scenarioVersion,
          decidedBy: s.decision.decidedBy,
          decidedAt: new Date(s.decision.decidedAt),
          note: s.decision.note ?? null,
          needsReview: s.decision.needsReview ?? false,
          warnings: s.decision.warnings.map((w) => ({
            code: w.code,
            effect: w.effect,
            severity: w.severity as WarningSeverity,
            threshold: w.threshold ?? null,
            value: w.value ?? null,
          })),
        }
      : null,
    needsReview: s.needsReview,
    attempts: s.attempts,
    startedAt: s.startedAt,
    frozenAt: s.frozenAt,
    finishedAt: s.finishedAt ?? null,
    scenarioId: s.scenario.id,
    scenarioVersionId: s.scenarioVersion.id,
  };
}

/** Session step (entity or loader row) → API shape. */
export function toSessionStepType(step: Row<SessionStep>): SessionStepType {
  return { id: step.id, position: step.position, kind: step.kind, status: step.status, attempts: step.attempts, warnings: step.warnings.map(toWarningType) };
}

/** Capture (entity or loader row) → API shape (the image itself is never served here). */
export function toCaptureType(c: Row<Capture>): CaptureType {
  return {
    id: c.id,
    format: c.image.format,
    width: c.image.width,
    height: c.image.height,
    byteSize: c.byteSize,
    documentType: c.documentType ?? null,
    documentCountry: c.documentCountry ?? null,
    ocrFields: c.ocrFields.map((f) => ({ ...f })),
    mrz: c.mrz ? { ...c.mrz } : null,
    warnings: c.warnings.map(toWarningType),
    createdAt: c.createdAt,
    hasImage: Boolean(c.blobKey),
  };
}
