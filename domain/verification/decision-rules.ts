import { CheckEffect, type CheckConfig } from '../scenarios/scenario-settings.js';
import type { DecisionExplanation } from '../sessions/session-identity.js';
import { RejectType, ReviewAnswer, SessionStatus } from '../sessions/session-status.js';
import { warningDefinition } from '../warnings/warning-catalogue.js';
import { effectiveCheck } from '../warnings/warning-policy.js';
import { WarningSeverity, type Warning } from '../warnings/warning.js';

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

/** The effect a warning has under a scenario's checks: its configured effect, IGNORE when the check is disabled. */
function effectOf(warning: Warning, checks: Record<string, CheckConfig>): CheckEffect {
  const check = effectiveCheck(warning.code, checks);
  return check.enabled ? check.effect : CheckEffect.IGNORE;
}

/**
 * Whether one capture's warnings make it a critical error toward "critical errors before blocking" (reference 001):
 * at least one HIGH-severity warning that rejects. One bad photo is one error however many checks it fails (an
 * expired document with a wrong check digit must not block at once).
 */
export function isCriticalFailure(warnings: readonly Warning[], checks: Record<string, CheckConfig>): boolean {
  return warnings.some((w) => warningDefinition(w.code).severity === WarningSeverity.HIGH && effectOf(w, checks) === CheckEffect.REJECT);
}

/**
 * Turns warnings into a decision (DESIGN §3): a SUSPICIOUS check (a fraud signal: blacklist, repeated face, two
 * documents, two people) makes the session SUSPICIOUS, even when a REJECT check fired too, so that a blacklisted
 * applicant who also sent a blurry photo lands with the fraud team rather than being invited to retry; otherwise a
 * REJECT check makes it FAILED; REVIEW checks flag it for an operator without changing the status; IGNORE and
 * disabled checks are recorded in the explanation as ignored. The answer is GREEN only for SUCCESS; the reject labels
 * and RETRY/FINAL come from the catalogue's mapping table (reference 003): one FINAL label makes the rejection FINAL.
 * Severities are the catalogue's, whatever a warning carries.
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
    const definition = warningDefinition(warning.code);
    const effect = effectOf(warning, input.checks);
    const value = typeof warning.params?.value === 'number' ? warning.params.value : undefined;
    explained.push({ code: warning.code, effect, severity: definition.severity, threshold: effectiveCheck(warning.code, input.checks).threshold, value });
    if (effect === CheckEffect.IGNORE) continue;
    if (effect === CheckEffect.REVIEW) {
      needsReview = true;
      continue;
    }
    if (effect === CheckEffect.REJECT) rejected = true;
    if (effect === CheckEffect.SUSPICIOUS) suspicious = true;
    if (definition.rejectLabel) labels.add(definition.rejectLabel);
    if (definition.rejectType === RejectType.FINAL) final = true;
  }

  const status = suspicious ? SessionStatus.SUSPICIOUS : rejected ? SessionStatus.FAILED : SessionStatus.SUCCESS;
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
      needsReview,
      decidedAt: input.now.toISOString(),
      decidedBy: 'ENGINE',
    },
  };
}
