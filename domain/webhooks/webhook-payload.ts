import type { OutboxEvent } from '../events/event-outbox.js';
import { OutboxEventType } from '../events/event-outbox.js';
import type { Session } from '../sessions/session.entity.js';
import type { SessionStep } from '../sessions/session-step.entity.js';

/** Every event type an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES: readonly string[] = Object.values(OutboxEventType);

/** The event `sendTestWebhook` sends: never recorded by the core, always accepted by an endpoint. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** The events `finalStatusOnly` keeps (reference 001): the decision and an operator's review. */
export const FINAL_EVENT_TYPES: readonly string[] = [OutboxEventType.SESSION_DECIDED, OutboxEventType.SESSION_REVIEWED];

/** Facts about one event, independent of the receiver; {@link payloadFor} cuts them per receiver. */
export interface EventFacts {
  type: string;
  tenantId: string;
  sessionId: string | null;
  scenarioId: string | null;
  body: Record<string, unknown>;
  /** Personal data (names, numbers, dates of birth, notes): left out for `noPersonalData` receivers. */
  personal: Record<string, unknown>;
}

/**
 * The payload of a session event, modelled on reference 003's `applicantReviewed`: type, ids, scenario and version,
 * status, review answer, reject type and labels, comments, warning codes with severities, times and a correlation
 * id. What identifies a person (the identity read from documents, the operator's note) is kept apart in `personal`.
 */
export function sessionFacts(event: Exclude<OutboxEvent, { type: OutboxEventType.FACE_LIST_CHANGED }>, scenarioVersion: number | null, step: SessionStep | null): EventFacts {
  if (event.type === OutboxEventType.SESSION_DELETED) {
    return {
      type: event.type,
      tenantId: event.tenantId,
      sessionId: event.sessionId,
      scenarioId: event.scenarioId,
      body: { sessionId: event.sessionId, externalUserId: event.externalUserId, scenario: { id: event.scenarioId } },
      personal: {},
    };
  }
  const s: Session = event.session;
  const warnings = (step ? step.warnings : s.warnings).map((w) => ({ code: w.code, severity: w.severity }));
  return {
    type: event.type,
    tenantId: s.tenant.id,
    sessionId: s.id,
    scenarioId: s.scenario.id,
    body: {
      sessionId: s.id,
      externalUserId: s.externalUserId,
      scenario: { id: s.scenario.id, version: scenarioVersion },
      status: s.status,
      reviewAnswer: s.reviewAnswer ?? null,
      rejectType: s.rejectType ?? null,
      rejectLabels: s.rejectLabels,
      decidedBy: s.decision?.decidedBy ?? null,
      ...(step ? { step: { position: step.position, kind: step.kind, status: step.status } } : {}),
      warnings,
    },
    personal: {
      identity: s.identity,
      // Reference 003's `moderationComment` (the operator's note) and `clientComment` (what the applicant is told).
      comments: { moderationComment: s.decision?.note ?? null, clientComment: null },
    },
  };
}

/** The payload of a face-list change: ids only (a face is biometric data; the receiver asks the API for more). */
export function faceListFacts(event: Extract<OutboxEvent, { type: OutboxEventType.FACE_LIST_CHANGED }>): EventFacts {
  return {
    type: event.type,
    tenantId: event.tenantId,
    sessionId: null,
    scenarioId: null,
    body: { faceListId: event.faceListId, faceId: event.faceId, change: event.change },
    personal: {},
  };
}

/** The JSON one receiver gets: `noPersonalData` keeps statuses, ids and codes only. */
export function payloadFor(facts: EventFacts, options: { eventId: string; createdAt: Date; noPersonalData: boolean }): Record<string, unknown> {
  return {
    type: facts.type,
    correlationId: options.eventId,
    createdAt: options.createdAt.toISOString(),
    ...facts.body,
    ...(options.noPersonalData ? {} : facts.personal),
  };
}
