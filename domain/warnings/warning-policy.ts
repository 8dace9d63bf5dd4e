import type { CheckConfig } from '../scenarios/scenario-settings.js';
import { warningDefinition, type WarningCode } from './warning-catalogue.js';
import type { Warning } from './warning.js';

/** The effective configuration of a code: the scenario's entry, or the catalogue's default. */
export function effectiveCheck(code: string, checks: Record<string, CheckConfig>): CheckConfig {
  const configured = checks[code];
  const definition = warningDefinition(code);
  return {
    enabled: configured?.enabled ?? true,
    effect: configured?.effect ?? definition.defaultEffect,
    threshold: configured?.threshold ?? definition.defaultThreshold,
  };
}

/** Builds a warning of the catalogue with its parameters. */
export function warn(code: WarningCode, confidence: number, params: Warning['params'] = {}): Warning {
  const definition = warningDefinition(code);
  return { code, severity: definition.severity, confidence: clamp01(confidence), message: definition.message, params };
}

/**
 * A finding reported by another part (the document reader in `inference/`, which knows nothing of scenarios) as a
 * catalogue warning: severity and message come from the catalogue, so a code weighs the same wherever it was found
 * (the reader's own severity would otherwise count toward blocking, and the API would show two severities for one
 * code); the finding keeps its confidence and parameters. Unknown codes throw, like everywhere else.
 */
export function fromFinding(finding: { code: string; confidence: number; params?: Readonly<Record<string, string | number | boolean | null>> }): Warning {
  return warn(finding.code as WarningCode, finding.confidence, { ...finding.params });
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}
