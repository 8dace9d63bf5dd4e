import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { Scenario } from '../scenarios/scenario.entity.js';
import { ScenarioVersion } from '../scenarios/scenario-version.entity.js';
import type { Warning } from '../warnings/warning.js';
import type { DecisionExplanation, SessionIdentity } from './session-identity.js';
import { SessionStep } from './session-step.entity.js';
import { RejectType, ReviewAnswer, SessionStatus } from './session-status.js';

const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'kyc_session',
  filters: tenantFilter(),
  indexes: [
    { name: 'kyc_session_tenant_started_idx', properties: ['tenant', 'startedAt'] },
    // The other orders of `sessions`: the tenant's rows come off the index in order instead of being sorted whole.
    { name: 'kyc_session_tenant_updated_idx', properties: ['tenant', 'updatedAt'] },
    { name: 'kyc_session_tenant_finished_idx', properties: ['tenant', 'finishedAt'] },
    { name: 'kyc_session_tenant_status_idx', properties: ['tenant', 'status'] },
    { name: 'kyc_session_tenant_external_user_idx', properties: ['tenant', 'externalUserId'] },
    // The expiry job scans open sessions by deadline across tenants.
    { name: 'kyc_session_frozen_at_idx', properties: ['status', 'frozenAt'] },
    {
      name: 'kyc_session_warnings_gin',
      expression: 'create index "kyc_session_warnings_gin" on "kyc_session" using gin ("warnings" jsonb_path_ops)',
    },
    // `report` (issue 21): reject labels by containment, OCR exact values, links of a batch, one scenario's pages.
    {
      name: 'kyc_session_reject_labels_gin',
      expression: 'create index "kyc_session_reject_labels_gin" on "kyc_session" using gin ("reject_labels" jsonb_path_ops)',
    },
    {
      name: 'kyc_session_tenant_document_number_idx',
      expression: `create index "kyc_session_tenant_document_number_idx" on "kyc_session" ("tenant_id", ("identity"->>'documentNumber'))`,
    },
    { name: 'kyc_session_tenant_kyc_link_idx', properties: ['tenant', 'kycLinkId'] },
    { name: 'kyc_session_tenant_scenario_started_idx', properties: ['tenant', 'scenario', 'startedAt'] },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    scenario: () => p.manyToOne(Scenario).ref().deleteRule('cascade'),
    scenarioVersion: () => p.manyToOne(ScenarioVersion).ref().deleteRule('cascade'),
    externalUserId: p.string().length(200).nullable(),
    metadata: p.json<Record<string, unknown>>().onCreate(() => ({})),
    status: p.enum(() => SessionStatus).default(SessionStatus.IN_PROGRESS),
    reviewAnswer: p.enum(() => ReviewAnswer).nullable(),
    rejectType: p.enum(() => RejectType).nullable(),
    rejectLabels: p.json<string[]>().onCreate(() => []),
    criticalErrorCount: p.integer().default(0),
    attempts: p.integer().default(0),
    clientIp: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
    identity: p.json<SessionIdentity>().onCreate(() => ({})),
    warnings: p.json<Warning[]>().onCreate(() => []),
    decision: p.json<DecisionExplanation>().nullable(),
    /** The engine asked for an operator (a REVIEW-effect check fired); cleared by a manual review. */
    needsReview: p.boolean().default(false),
    kycLinkId: p.uuid().nullable(),
    steps: () => p.oneToMany(SessionStep).mappedBy('session').orderBy({ position: 'asc' }),
    startedAt: p.datetime().onCreate(() => new Date()),
    /** Deadline after which uploads are refused (start + scenario lifetime). */
    frozenAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    /** Optimistic lock: concurrent captures on one session cannot overwrite each other's result. */
    version: p.integer().version(),
  },
});

/** One applicant's verification against one scenario version. */
export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);
