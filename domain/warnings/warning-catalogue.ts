import { CheckEffect } from '../scenarios/scenario-settings.js';
import { RejectType } from '../sessions/session-status.js';
import { WarningSeverity } from './warning.js';

/** Everything idgraph knows about one warning code; the single source for engine, API, webhooks and console. */
export interface WarningDefinition {
  severity: WarningSeverity;
  /** Effect when the scenario does not configure the code. */
  defaultEffect: CheckEffect;
  /** Rejection label (reference 003) this code maps to when it contributes to a RED answer. */
  rejectLabel: string | null;
  rejectType: RejectType;
  /** Default threshold of the check behind the code, if it has one (same scale as the check's score). */
  defaultThreshold?: number;
  message: string;
}

const { HIGH, MEDIUM, LOW, NONE } = WarningSeverity;
const { REJECT, SUSPICIOUS, REVIEW, IGNORE } = CheckEffect;
const { RETRY, FINAL } = RejectType;

function def(
  severity: WarningSeverity,
  defaultEffect: CheckEffect,
  rejectLabel: string | null,
  rejectType: RejectType,
  message: string,
  defaultThreshold?: number,
): WarningDefinition {
  return { severity, defaultEffect, rejectLabel, rejectType, message, ...(defaultThreshold === undefined ? {} : { defaultThreshold }) };
}

/**
 * The warning catalogue. Codes follow reference 002 where one fits; reference 000 adds the image rules (bad image,
 * face or document too small), the blacklist and the repeated face with different data. Labels and RETRY/FINAL
 * follow reference 003: quality problems may be retried, fraud signals are final.
 */
export const WARNING_CATALOGUE = {
  // Image acceptance (reference 000: JPEG/PNG only, document ≥ 200 px, face ≥ 30×30 px).
  BAD_IMAGE: def(HIGH, REJECT, 'UNSATISFACTORY_PHOTOS', RETRY, 'The file is not a readable JPEG or PNG image.'),
  IMAGE_TOO_LARGE: def(HIGH, REJECT, 'UNSATISFACTORY_PHOTOS', RETRY, 'The image exceeds the size or pixel limit.'),
  IMAGE_TOO_SMALL: def(MEDIUM, REJECT, 'UNSATISFACTORY_PHOTOS', RETRY, 'The image is smaller than 200 px on its long side.'),
  DOCUMENT_TOO_SMALL: def(MEDIUM, REJECT, 'UNSATISFACTORY_PHOTOS', RETRY, 'The document is smaller than 200 px on its long side.'),
  FACE_TOO_SMALL: def(MEDIUM, REJECT, 'BAD_SELFIE', RETRY, 'The face is smaller than 30×30 px.'),
  // Image forensics.
  IMAGE_TOO_BLURRY: def(MEDIUM, REJECT, 'UNSATISFACTORY_PHOTOS', RETRY, 'The image is too blurry to read.'),
  GLARE_DETECTED: def(LOW, REVIEW, 'UNSATISFACTORY_PHOTOS', RETRY, 'Glare covers part of the document.'),
  BLACK_WHITE_DOCUMENT: def(MEDIUM, REJECT, 'BLACK_AND_WHITE', RETRY, 'The document is a black-and-white copy.'),
  IMAGE_EDITED: def(HIGH, REJECT, 'GRAPHIC_EDITOR', RETRY, 'The image was saved by a graphics editor.'),
  SCREEN_DETECTED: def(HIGH, REJECT, 'SCREENSHOTS', RETRY, 'The image is a photo of a screen.'),
  RECAPTURED_DOCUMENT: def(HIGH, REJECT, 'ID_INVALID', RETRY, 'The document is a printed copy, not the original.'),
  IMAGE_FORGERY: def(HIGH, REJECT, 'FORGERY', FINAL, 'The document image shows signs of forgery.'),
  // Document and OCR.
  UNRECOGNIZED_DOCUMENT: def(HIGH, REJECT, 'BAD_PROOF_OF_IDENTITY', RETRY, 'No supported identity document was recognised.'),
  TYPE_NOT_ACCEPTED: def(HIGH, REJECT, 'ID_INVALID', RETRY, 'This kind of document is not accepted by the scenario.'),
  COUNTRY_NOT_ACCEPTED: def(HIGH, REJECT, 'WRONG_USER_REGION', FINAL, "The document's issuing country is not accepted."),
  DOCUMENT_EXPIRED: def(HIGH, REJECT, 'EXPIRATION_DATE', RETRY, 'The document has expired.'),
  CHECK_DIGIT_FAILED: def(HIGH, REJECT, 'ID_INVALID', RETRY, 'A check digit of the machine-readable zone is wrong.'),
  LOW_TEXT_CONFIDENCE: def(LOW, REVIEW, 'UNSATISFACTORY_PHOTOS', RETRY, 'Some text was read with low confidence.'),
  MISSING_NAME: def(MEDIUM, REJECT, 'INCOMPLETE_DOCUMENT', RETRY, 'The name could not be read.'),
  MISSING_BIRTH_DATE: def(MEDIUM, REJECT, 'INCOMPLETE_DOCUMENT', RETRY, 'The birth date could not be read.'),
  MISSING_DOCUMENT_NUMBER: def(MEDIUM, REJECT, 'INCOMPLETE_DOCUMENT', RETRY, 'The document number could not be read.'),
  MISSING_EXPIRY_DATE: def(MEDIUM, REJECT, 'INCOMPLETE_DOCUMENT', RETRY, 'The expiry date could not be read.'),
  MISSING_PERSONAL_NUMBER: def(LOW, IGNORE, 'INCOMPLETE_DOCUMENT', RETRY, 'The personal number could not be read.'),
  MISSING_GENDER: def(LOW, IGNORE, 'INCOMPLETE_DOCUMENT', RETRY, 'The sex could not be read.'),
  DOCUMENT_NAME_MISMATCH: def(HIGH, SUSPICIOUS, 'PROBLEMATIC_APPLICANT_DATA', RETRY, 'The printed name differs from the MRZ.'),
  DOCUMENT_DOB_MISMATCH: def(HIGH, SUSPICIOUS, 'PROBLEMATIC_APPLICANT_DATA', RETRY, 'The printed birth date differs from the MRZ.'),
  // An ID card is read from both sides (docs/VERIFICATION.md): the step waits for the other one, and fails on submit without it.
  DOCUMENT_FRONT_MISSING: def(MEDIUM, REJECT, 'INCOMPLETE_DOCUMENT', RETRY, 'The front of the ID card, with the portrait, is missing.'),
  DOCUMENT_BACK_MISSING: def(MEDIUM, REJECT, 'INCOMPLETE_DOCUMENT', RETRY, 'The back of the ID card, with the machine-readable zone, is missing.'),
  DIFFERENT_DOCUMENTS_IN_STEP: def(HIGH, SUSPICIOUS, 'INCONSISTENT_PROFILE', FINAL, 'Two different documents were uploaded in one step.'),
  // Age (relative to the decision time).
  UNDER_18: def(HIGH, REJECT, 'AGE_REQUIREMENT_MISMATCH', FINAL, 'The applicant is under 18.'),
  UNDER_19: def(HIGH, IGNORE, 'AGE_REQUIREMENT_MISMATCH', FINAL, 'The applicant is under 19.'),
  UNDER_20: def(HIGH, IGNORE, 'AGE_REQUIREMENT_MISMATCH', FINAL, 'The applicant is under 20.'),
  UNDER_21: def(HIGH, IGNORE, 'AGE_REQUIREMENT_MISMATCH', FINAL, 'The applicant is under 21.'),
  AGE_VERIFICATION_FAILED: def(HIGH, REJECT, 'AGE_REQUIREMENT_MISMATCH', FINAL, "The applicant's age is outside the allowed range."),
  // Faces.
  FACE_MISMATCH: def(HIGH, REJECT, 'BAD_FACE_MATCHING', RETRY, 'The selfie does not match the document portrait.'),
  FACE_IDENTICAL: def(HIGH, SUSPICIOUS, 'BAD_SELFIE', RETRY, 'The selfie is the document photo itself.', 0.97),
  SELFIE_MULTIPLE_FACES: def(MEDIUM, REJECT, 'BAD_SELFIE', RETRY, 'More than one face is on the selfie.'),
  SELFIE_FACE_NOT_FOUND: def(HIGH, REJECT, 'BAD_SELFIE', RETRY, 'No face was found on the selfie.'),
  DOCUMENT_FACE_NOT_FOUND: def(HIGH, REJECT, 'BAD_PROOF_OF_IDENTITY', RETRY, 'No portrait was found on the document.'),
  RECAPTURED_FACE: def(HIGH, REJECT, 'FRAUDULENT_LIVENESS', FINAL, 'The face is a photo of a photo or a screen.'),
  FACE_LIVENESS_ERR: def(HIGH, REJECT, 'FRAUDULENT_LIVENESS', FINAL, 'The liveness check failed.'),
  DIFFERENT_FACES_IN_SESSION: def(HIGH, SUSPICIOUS, 'INCONSISTENT_PROFILE', FINAL, 'Different people appear in the steps of one session.'),
  // Cross-session (reference 000: repeated faces, blacklist).
  // Thresholds are cosine similarities of a 1:N search, set above FACE_MISMATCH's 1:1 threshold (0.45): the chance of
  // a stranger scoring over the threshold grows with the number of faces searched (docs/VERIFICATION.md).
  USER_BLACKLISTED: def(HIGH, SUSPICIOUS, 'BLOCKLIST', FINAL, 'The user is blacklisted.', 0.5),
  REPEATED_FACE_DIFFERENT_DATA: def(HIGH, SUSPICIOUS, 'FRAUDULENT_PATTERNS', FINAL, 'The same face was seen with different personal data.', 0.6),
  // Reference 003: a FINAL rejection is final; the same face coming back under another account is flagged.
  FINAL_REJECTED_FACE: def(HIGH, SUSPICIOUS, 'BLOCKLIST', FINAL, 'The face matches an applicant who was finally rejected.', 0.6),
  RETURNING_CUSTOMER: def(NONE, IGNORE, null, RETRY, 'The face matches a known customer.', 0.6),
  SESSION_BLOCKED: def(HIGH, REJECT, 'FRAUDULENT_PATTERNS', FINAL, 'Too many critical errors: the session is blocked.'),
} as const satisfies Record<string, WarningDefinition>;

/** Every known warning code. */
export type WarningCode = keyof typeof WARNING_CATALOGUE;

/** The definition of a code; unknown codes are a programming error. */
export function warningDefinition(code: string): WarningDefinition {
  const found = (WARNING_CATALOGUE as Record<string, WarningDefinition>)[code];
  if (!found) throw new Error(`unknown warning code ${code}`);
  return found;
}

/** Whether `code` is in the catalogue (for validating scenario configuration). */
export function isWarningCode(code: string): code is WarningCode {
  return Object.hasOwn(WARNING_CATALOGUE, code);
}
