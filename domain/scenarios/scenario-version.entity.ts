import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { Scenario } from './scenario.entity.js';
import type { ScenarioSettings } from './scenario-settings.js';
import { ScenarioStep } from './scenario-step.entity.js';

const ScenarioVersionSchema = defineEntity({
  name: 'ScenarioVersion',
  filters: tenantFilter(),
  uniques: [{ name: 'scenario_version_number_unique', properties: ['scenario', 'version'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    scenario: () => p.manyToOne(Scenario).ref().deleteRule('cascade'),
    version: p.integer(),
    settings: p.json<ScenarioSettings>(),
    steps: () => p.oneToMany(ScenarioStep).mappedBy('scenarioVersion').orderBy({ position: 'asc' }),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/**
 * One immutable state of a scenario. A session keeps the version it started with, so editing a scenario
 * never changes how a running or finished session is judged (DESIGN §3: decisions are explainable).
 */
export class ScenarioVersion extends ScenarioVersionSchema.class {}
ScenarioVersionSchema.setClass(ScenarioVersion);
