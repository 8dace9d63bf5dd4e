import type { DocumentField, DocumentFieldName, DocumentWarning, WarningSeverity } from './document.types.js';
import type { MrzCheckName } from './mrz/mrz-layout.js';
import type { MrzCheckResult } from './mrz/mrz-parser.js';

/** Builds a warning (plain data: the domain catalogue decides what it means). */
export function warning(code: string, severity: WarningSeverity, confidence: number, message: string, params: DocumentWarning['params'] = {}): DocumentWarning {
  return { code, severity, confidence: Math.round(Math.max(0, Math.min(1, confidence)) * 1000) / 1000, message, params };
}

/** `MISSING_*` code per required field (reference 002). */
const MISSING_CODES: Partial<Record<DocumentFieldName, string>> = {
  surname: 'MISSING_NAME',
  givenNames: 'MISSING_NAME',
  documentNumber: 'MISSING_DOCUMENT_NUMBER',
  birthDate: 'MISSING_BIRTH_DATE',
  expiryDate: 'MISSING_EXPIRY_DATE',
  sex: 'MISSING_GENDER',
  personalNumber: 'MISSING_PERSONAL_NUMBER',
};

const CHECK_LABELS: Readonly<Record<MrzCheckName, string>> = {
  documentNumber: 'document number',
  birthDate: 'date of birth',
  expiryDate: 'date of expiry',
  personalNumber: 'personal number',
  composite: 'the composite check digit of the MRZ',
};

/** The ages reference 002 reports (`UNDER_18` … `UNDER_21`). */
const AGE_LIMITS = [18, 19, 20, 21] as const;

/** Options of {@link fieldWarnings}. */
export interface FieldWarningOptions {
  readonly now: Date;
  readonly requiredFields: readonly DocumentFieldName[];
  readonly lowConfidence: number;
}

/** Whole years between an ISO birth date and `now` (a birthday counts from its day on). */
export function ageAt(birthUtc: string, now: Date): number {
  const birth = new Date(birthUtc);
  let age = now.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday = now.getUTCMonth() < birth.getUTCMonth() || (now.getUTCMonth() === birth.getUTCMonth() && now.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age--;
  return age;
}

/**
 * Warnings derived from the fields and check digits (reference 002): expiry, age limits against
 * the given clock, missing required fields, failed check digits, low text confidence.
 */
export function fieldWarnings(fields: readonly DocumentField[], checks: readonly MrzCheckResult[], options: FieldWarningOptions): DocumentWarning[] {
  const warnings: DocumentWarning[] = [];
  const field = (name: DocumentFieldName) => fields.find((f) => f.name === name);

  const expiry = field('expiryDate');
  // ICAO 9303 part 3 §4.2.2: a document is valid through its date of expiry.
  if (expiry?.valueUTC && !expiry.isUnreadable && new Date(expiry.valueUTC).getTime() + 86_400_000 <= options.now.getTime()) {
    warnings.push(warning('DOCUMENT_EXPIRED', 'HIGH', expiry.confidence, 'Document has already expired.', { expiryDate: expiry.valueUTC.slice(0, 10) }));
  }

  const birth = field('birthDate');
  if (birth?.valueUTC && !birth.isUnreadable) {
    const age = ageAt(birth.valueUTC, options.now);
    for (const limit of AGE_LIMITS) {
      if (age < limit) warnings.push(warning(`UNDER_${limit}`, 'NONE', birth.confidence, `Document holder is under ${limit}.`, { age }));
    }
  }

  const missing = new Set<string>();
  for (const name of options.requiredFields) {
    const f = field(name);
    const code = MISSING_CODES[name];
    if (!code || missing.has(code)) continue;
    if (!f || f.value === null || f.isUnreadable) {
      missing.add(code);
      warnings.push(warning(code, name === 'sex' ? 'MEDIUM' : 'HIGH', 1, `${FIELD_LABEL[name] ?? name} is missing or cannot be read.`, { field: name }));
    }
  }

  for (const check of checks) {
    if (check.valid) continue;
    warnings.push(
      warning('CHECK_DIGIT_FAILED', 'HIGH', 1, `The document is not a valid document because ${CHECK_LABELS[check.name]} contains invalid check digit.`, {
        check: check.name,
        digit: check.digit,
        expected: check.expected,
      }),
    );
  }

  for (const f of fields) {
    if (f.value === null || f.confidence >= options.lowConfidence) continue;
    warnings.push(warning('LOW_TEXT_CONFIDENCE', 'MEDIUM', 1 - f.confidence, `Low text confidence score detected for field ${f.title}.`, { field: f.name, confidence: f.confidence }));
  }
  return warnings;
}

const FIELD_LABEL: Partial<Record<DocumentFieldName, string>> = {
  surname: 'Given name or family name',
  givenNames: 'Given name or family name',
  documentNumber: 'Document number',
  birthDate: 'Birthday information',
  expiryDate: 'Document expiry date',
  sex: 'Gender',
  personalNumber: 'Personal number or national ID number',
};
