import type { DocumentAnalysis } from '../../inference/index.js';
import type { ScenarioSettings } from '../scenarios/scenario-settings.js';
import type { Warning } from '../warnings/warning.js';
import { warn } from '../warnings/warning-policy.js';

/** What a scenario step accepts (reference 001, KYC editor: document types and countries per step). */
export interface StepAcceptance {
  documentTypes: readonly string[];
  countries: readonly string[];
}

/**
 * The scenario's rules on a read document: accepted kinds and issuing countries, and the allowed age range from the
 * birth date (expiry and the UNDER_18…21 warnings come from the document reading itself).
 */
export function documentRuleWarnings(doc: DocumentAnalysis, step: StepAcceptance, settings: ScenarioSettings, now: Date): Warning[] {
  const warnings: Warning[] = [];
  if (doc.kind !== 'UNKNOWN' && step.documentTypes.length > 0 && !step.documentTypes.includes(doc.kind)) {
    warnings.push(warn('TYPE_NOT_ACCEPTED', 1, { value: doc.kind, accepted: step.documentTypes.join(',') }));
  }
  if (doc.country && step.countries.length > 0 && !step.countries.includes(doc.country)) {
    warnings.push(warn('COUNTRY_NOT_ACCEPTED', 1, { value: doc.country, accepted: step.countries.join(',') }));
  }
  const birth = doc.fields.find((f) => f.name === 'birthDate')?.valueUTC;
  const { min, max } = settings.allowedAge;
  if (birth && (min !== null || max !== null)) {
    const age = ageOn(new Date(birth), now);
    if ((min !== null && age < min) || (max !== null && age > max)) {
      warnings.push(warn('AGE_VERIFICATION_FAILED', 1, { value: age, min, max }));
    }
  }
  return warnings;
}

/** Completed years between a birth date and `now` (UTC). */
export function ageOn(birth: Date, now: Date): number {
  let age = now.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday = now.getUTCMonth() < birth.getUTCMonth() || (now.getUTCMonth() === birth.getUTCMonth() && now.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}
