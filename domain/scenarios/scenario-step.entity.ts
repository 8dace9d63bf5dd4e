import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { ScenarioVersion } from './scenario-version.entity.js';

/** What the applicant is asked for in a step (DESIGN §2). */
export enum StepKind {
  DOCUMENT = 'DOCUMENT',
  SELFIE = 'SELFIE',
  SELFIE_WITH_DOCUMENT = 'SELFIE_WITH_DOCUMENT',
  LIVENESS = 'LIVENESS',
}

const ScenarioStepSchema = defineEntity({
  name: 'ScenarioStep',
  filters: tenantFilter(),
  uniques: [{ name: 'scenario_step_position_unique', properties: ['scenarioVersion', 'position'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    scenarioVersion: () => p.manyToOne(ScenarioVersion).ref().deleteRule('cascade'),
    position: p.integer(),
    kind: p.enum(() => StepKind),
    title: p.string().length(200).nullable(),
    /** Accepted document kinds (PASSPORT, ID_CARD, …); empty = any. */
    documentTypes: p.json<string[]>().onCreate(() => []),
    /** Accepted issuing countries, ICAO 9303 three-letter codes; empty = any. */
    countries: p.json<string[]>().onCreate(() => []),
    /** Warning codes checked in this step; empty = the step kind's defaults. */
    checks: p.json<string[]>().onCreate(() => []),
  },
});

/** One ordered step of a scenario version. */
export class ScenarioStep extends ScenarioStepSchema.class {}
ScenarioStepSchema.setClass(ScenarioStep);
