import type { DocumentAnalysis } from '../../inference/index.js';
import type { ScenarioSettings } from '../scenarios/scenario-settings.js';
import type { SessionIdentity } from '../sessions/session-identity.js';
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

/** The identity a document gives the session (fields the reading trusts; unreadable ones are left out). */
export function identityOf(doc: DocumentAnalysis): SessionIdentity {
  const value = (name: string, utc = false) => {
    const field = doc.fields.find((f) => f.name === name && !f.isUnreadable);
    return (utc ? field?.valueUTC?.slice(0, 10) : field?.value) ?? undefined;
  };
  const identity: SessionIdentity = {
    surname: value('surname'),
    givenNames: value('givenNames'),
    birthDate: value('birthDate', true),
    documentNumber: value('documentNumber'),
    documentType: doc.kind === 'UNKNOWN' ? undefined : doc.kind,
    issuingCountry: doc.country ?? undefined,
    nationality: value('nationality'),
    expiryDate: value('expiryDate', true),
    sex: value('sex'),
    personalNumber: value('personalNumber'),
  };
  return Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined)) as SessionIdentity;
}

/** What identifies a document (ICAO 9303 part 3 §4.2: code, issuing state, number). */
const DOCUMENT_KEYS = ['documentType', 'issuingCountry', 'documentNumber'] as const;

/**
 * Two captures of one step show different documents when a property both read differs: the kind (a passport and an
 * ID card are two documents even with one number), the issuing country (numbers are only unique per issuer), or the
 * number. A property one of them could not read is no difference.
 */
export function differentDocuments(a: SessionIdentity, b: SessionIdentity): boolean {
  return DOCUMENT_KEYS.some((k) => Boolean(a[k] && b[k] && a[k] !== b[k]));
}


/** Completed years between a birth date and `now` (UTC). */
export function ageOn(birth: Date, now: Date): number {
  let age = now.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday = now.getUTCMonth() < birth.getUTCMonth() || (now.getUTCMonth() === birth.getUTCMonth() && now.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}
