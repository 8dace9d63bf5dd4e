import { CheckEffect, type CheckConfig } from '../scenarios/scenario-settings.js';
import type { DecisionExplanation } from '../sessions/session-identity.js';
import { RejectType, ReviewAnswer, SessionStatus } from '../sessions/session-status.js';
import { warningDefinition } from '../warnings/warning-catalogue.js';
import type { Warning } from '../warnings/warning.js';

/** The outcome of applying a scenario's check configuration to a session's warnings. */
export interface Decision {
  status: SessionStatus.SUCCESS | SessionStatus.FAILED | SessionStatus.SUSPICIOUS;
  reviewAnswer: ReviewAnswer;
  rejectType: RejectType | null;
  rejectLabels: string[];
  /** True when a REVIEW-effect check fired: an operator should look even if nothing rejected. */
  needsReview: boolean;
  explanation: DecisionExplanation;
}

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

/**
 * Turns warnings into a decision (DESIGN §3): a REJECT check makes the session FAILED; otherwise a SUSPICIOUS check
 * makes it SUSPICIOUS; REVIEW checks flag it for an operator without changing the status; IGNORE and disabled checks
 * are recorded in the explanation as ignored. The answer is GREEN only for SUCCESS; the reject labels and RETRY/FINAL
 * come from the catalogue's mapping table (reference 003): one FINAL label makes the rejection FINAL.
 */
export function decide(input: {
  warnings: readonly Warning[];
  checks: Record<string, CheckConfig>;
  scenarioVersion: number;
  now: Date;
}): Decision {
  let rejected = false;
  let suspicious = false;
  let needsReview = false;
  const labels = new Set<string>();
  let final = false;
  const explained: DecisionExplanation['warnings'] = [];

  for (const warning of input.warnings) {
    const check = effectiveCheck(warning.code, input.checks);
    const effect = check.enabled ? check.effect : CheckEffect.IGNORE;
    const value = typeof warning.params?.value === 'number' ? warning.params.value : undefined;
    explained.push({ code: warning.code, effect, severity: warning.severity, threshold: check.threshold, value });
    if (effect === CheckEffect.IGNORE) continue;
    if (effect === CheckEffect.REVIEW) {
      needsReview = true;
      continue;
    }
    if (effect === CheckEffect.REJECT) rejected = true;
    if (effect === CheckEffect.SUSPICIOUS) suspicious = true;
    const definition = warningDefinition(warning.code);
    if (definition.rejectLabel) labels.add(definition.rejectLabel);
    if (definition.rejectType === RejectType.FINAL) final = true;
  }

  const status = rejected ? SessionStatus.FAILED : suspicious ? SessionStatus.SUSPICIOUS : SessionStatus.SUCCESS;
  const red = status !== SessionStatus.SUCCESS;
  return {
    status,
    reviewAnswer: red ? ReviewAnswer.RED : ReviewAnswer.GREEN,
    rejectType: red ? (final ? RejectType.FINAL : RejectType.RETRY) : null,
    rejectLabels: red ? [...labels].sort() : [],
    needsReview,
    explanation: {
      scenarioVersion: input.scenarioVersion,
      warnings: explained,
      decidedAt: input.now.toISOString(),
      decidedBy: 'ENGINE',
    },
  };
}
