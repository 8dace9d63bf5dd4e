import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { StepKind } from '../scenarios/scenario-step.entity.js';
import type { Warning } from '../warnings/warning.js';
import { Capture } from './capture.entity.js';
import { Session } from './session.entity.js';
import { StepStatus } from './session-status.js';

const SessionStepSchema = defineEntity({
  name: 'SessionStep',
  filters: tenantFilter(),
  uniques: [{ name: 'session_step_position_unique', properties: ['session', 'position'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    session: () => p.manyToOne(Session).ref().deleteRule('cascade'),
    position: p.integer(),
    kind: p.enum(() => StepKind),
    status: p.enum(() => StepStatus).default(StepStatus.PENDING),
    attempts: p.integer().default(0),
    warnings: p.json<Warning[]>().onCreate(() => []),
    captures: () => p.oneToMany(Capture).mappedBy('step').orderBy({ createdAt: 'asc' }),
    evaluatedAt: p.datetime().nullable(),
  },
});

/** The state of one scenario step inside a session. */
export class SessionStep extends SessionStepSchema.class {}
SessionStepSchema.setClass(SessionStep);
