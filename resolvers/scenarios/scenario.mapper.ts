import type { Scenario } from '../../domain/scenarios/scenario.entity.js';
import type { ScenarioStep } from '../../domain/scenarios/scenario-step.entity.js';
import type { ScenarioVersion } from '../../domain/scenarios/scenario-version.entity.js';
import type { ScenarioType } from './scenario.type.js';

/** Entity → API shape (STYLE §2: GraphQL types are not entities). */
export function toScenarioType(scenario: Scenario, version: ScenarioVersion, steps: readonly ScenarioStep[]): ScenarioType {
  const { checks, ...settings } = version.settings;
  return {
    id: scenario.id,
    schemaId: scenario.schemaId,
    name: scenario.name,
    version: version.version,
    archived: scenario.archivedAt !== null && scenario.archivedAt !== undefined,
    createdAt: scenario.createdAt,
    settings: {
      ...settings,
      checks: Object.entries(checks).map(([code, c]) => ({ code, enabled: c.enabled, effect: c.effect, threshold: c.threshold ?? null })),
    },
    steps: steps.map((s) => ({
      position: s.position,
      kind: s.kind,
      title: s.title ?? null,
      documentTypes: s.documentTypes,
      countries: s.countries,
      checks: s.checks,
    })),
  };
}
