import type { MrzReading, OcrField } from '../sessions/capture-data.js';
import type { SessionIdentity } from '../sessions/session-identity.js';
import type { WarningCode } from '../warnings/warning-catalogue.js';
import { warn } from '../warnings/warning-policy.js';
import type { Warning } from '../warnings/warning.js';

/** One stored capture of a document step, as the step's rules see it. */
export interface DocumentSideCapture {
  documentType: string | null;
  documentCountry: string | null;
  ocrFields: readonly OcrField[];
  mrz: MrzReading | null;
  warnings: readonly Warning[];
  /** A portrait face was found on it. */
  hasPortrait: boolean;
}

/** Which side of a document a capture shows (the reader's rule: a TD1 MRZ without a portrait is a card's back). */
export function sideOf(capture: DocumentSideCapture): 'FRONT' | 'BACK' {
  return !capture.hasPortrait && capture.mrz?.format === 'TD1' ? 'BACK' : 'FRONT';
}

/**
 * Findings of a card front that come from reading its data (no MRZ: only the printed fields): once the back's MRZ,
 * whose check digits vouch for it, gives the step its identity, they say nothing more about the applicant, and the
 * MRZ derives the same checks itself (expiry, age, kind, country).
 */
const READ_CODES: ReadonlySet<string> = new Set<WarningCode>([
  'UNRECOGNIZED_DOCUMENT',
  'LOW_TEXT_CONFIDENCE',
  'MISSING_NAME',
  'MISSING_BIRTH_DATE',
  'MISSING_DOCUMENT_NUMBER',
  'MISSING_EXPIRY_DATE',
  'MISSING_PERSONAL_NUMBER',
  'MISSING_GENDER',
  'DOCUMENT_EXPIRED',
  'UNDER_18',
  'UNDER_19',
  'UNDER_20',
  'UNDER_21',
  'AGE_VERIFICATION_FAILED',
  'TYPE_NOT_ACCEPTED',
  'COUNTRY_NOT_ACCEPTED',
]);

/** The warnings that say a side of an ID card is still to come. */
export const MISSING_SIDE_CODES: ReadonlySet<string> = new Set<WarningCode>(['DOCUMENT_FRONT_MISSING', 'DOCUMENT_BACK_MISSING']);

/** What a document step amounts to across its captures. */
export interface DocumentStepEvaluation {
  /** The step's warnings: both sides', the cross-check between them, and a missing side. */
  warnings: Warning[];
  /** Warnings that stand now; a card front's reading findings wait for the back, which may settle them. */
  standing: Warning[];
  /** The step's identity: from the MRZ (the back's on a card), else the printed fields. */
  identity: SessionIdentity;
  /** The side still to come, `null` when the step has what it needs. */
  missing: 'FRONT' | 'BACK' | null;
}

/**
 * The rules of a document step over its captures, oldest first (docs/VERIFICATION.md, "Two-sided cards"). The
 * latest front and the latest back speak for the step. A front carrying an MRZ (a passport's data page, a card with
 * everything on one side) is the whole document; a front without one (an ID card's) needs its back, and a back needs
 * its front, which alone supplies the portrait. Once the back's MRZ is valid it gives the step its identity, the
 * front's reading findings are dropped, and the front's printed name and birth date are checked against it.
 */
export function evaluateDocumentStep(captures: readonly DocumentSideCapture[]): DocumentStepEvaluation {
  const front = captures.findLast((c) => sideOf(c) === 'FRONT');
  const back = captures.findLast((c) => sideOf(c) === 'BACK');
  const backVouches = Boolean(back?.mrz?.valid);
  const cardFront = front && !front.mrz ? front : undefined;
  const missing = !front ? 'FRONT' : cardFront && !back ? 'BACK' : null;
  // The back vouches for the front only when the front is shown to be that card: without a trusted printed name or
  // birth date agreeing with the MRZ, a blurred front (the applicant's portrait) beside somebody else's back would
  // pass with the other person's identity, so the front's reading findings then stand.
  const vouchedFront = Boolean(cardFront && back && backVouches && printedAgreesWithMrz(cardFront, back));
  const frontWarnings = front?.warnings.filter((w) => !(vouchedFront && READ_CODES.has(w.code))) ?? [];
  const crossCheck = cardFront && back?.mrz && !differentDocuments(cardFront, back) ? printedAgainstMrz(cardFront, back) : [];
  const found = uniqueByCode([...frontWarnings, ...(back?.warnings ?? []), ...crossCheck]);
  const standing = found.filter((w) => !(cardFront && !back && READ_CODES.has(w.code)));
  const warnings = missing ? [...found, warn(missing === 'FRONT' ? 'DOCUMENT_FRONT_MISSING' : 'DOCUMENT_BACK_MISSING', 1)] : found;
  const source = back?.mrz && (backVouches || !front?.mrz) ? back : (front ?? back)!;
  return { warnings, standing, identity: identityOfCapture(source), missing };
}

/** What identifies a document and its holder, for telling two documents apart. */
interface DocumentFacts {
  hasMrz: boolean;
  kind?: string;
  country?: string;
  number?: string;
  surname?: string;
  birthDate?: string;
}

function facts(capture: DocumentSideCapture): DocumentFacts {
  const id = identityOfCapture(capture);
  return { hasMrz: Boolean(capture.mrz), kind: id.documentType, country: id.issuingCountry, number: id.documentNumber, surname: id.surname, birthDate: id.birthDate };
}

/**
 * Two captures of one step show different documents. Both with an MRZ: a kind, issuing country or number both read
 * differs (ICAO 9303 part 3 §4.2: numbers are unique per issuer and kind). A card front has no MRZ and may print
 * other numbers (a card access number), so against it only its printed fields count: another kind, another
 * document number (beyond a misread character; the same number is the same card, whatever else was altered), or,
 * without both numbers, another holder (surname and birth date both different; one of them alone is the
 * cross-check's mismatch on one card). A property one of them could not read is no difference.
 */
export function differentDocuments(a: DocumentSideCapture, b: DocumentSideCapture): boolean {
  return differentFacts(facts(a), facts(b));
}

function differentFacts(a: DocumentFacts, b: DocumentFacts): boolean {
  const both = (k: keyof Omit<DocumentFacts, 'hasMrz'>) => a[k] !== undefined && b[k] !== undefined;
  const differs = (k: 'kind' | 'country' | 'number') => both(k) && a[k] !== b[k];
  if (a.hasMrz && b.hasMrz) return differs('kind') || differs('country') || differs('number');
  if (differs('kind')) return true;
  if (both('number')) return !similar(a.number!, b.number!);
  return both('surname') && both('birthDate') && !similar(a.surname!, b.surname!) && a.birthDate !== b.birthDate;
}

/** A printed field of the front read well enough to be compared with the MRZ. */
function trustedPrinted(front: DocumentSideCapture, title: string): OcrField | undefined {
  return front.ocrFields.find((f) => f.title === title && !f.isUnreadable && f.confidence >= TRUSTED_CONFIDENCE);
}

/** The front's trusted printed surname or birth date agrees with the back's MRZ: the two sides are one card. */
function printedAgreesWithMrz(front: DocumentSideCapture, back: DocumentSideCapture): boolean {
  const mrz = identityOfCapture(back);
  const surname = trustedPrinted(front, 'surname')?.value;
  const birth = trustedPrinted(front, 'birthDate')?.valueUTC?.slice(0, 10);
  return Boolean((surname && mrz.surname && similar(surname, mrz.surname)) || (birth && mrz.birthDate && birth === mrz.birthDate));
}

/** The front's printed name and birth date against the back's MRZ (DOCUMENT_NAME_MISMATCH, DOCUMENT_DOB_MISMATCH). */
function printedAgainstMrz(front: DocumentSideCapture, back: DocumentSideCapture): Warning[] {
  const printed = (title: string) => trustedPrinted(front, title);
  const mrz = identityOfCapture(back);
  const warnings: Warning[] = [];
  const names = (['surname', 'givenNames'] as const).filter((k) => {
    const seen = printed(k)?.value;
    if (!seen || !mrz[k]) return false;
    // The MRZ truncates long given names (ICAO 9303 part 3 §4.6), to a prefix or to initials.
    return k === 'givenNames' ? !givenNamesAgree(seen, mrz[k]) : !similar(seen, mrz[k]);
  });
  if (names.length > 0) {
    const params = { fields: names.join(','), mrz: names.map((k) => mrz[k]).join(' / '), printed: names.map((k) => printed(k)!.value).join(' / '), on: 'front' };
    warnings.push(warn('DOCUMENT_NAME_MISMATCH', Math.min(...names.map((k) => printed(k)!.confidence)), params));
  }
  const birth = printed('birthDate');
  if (birth?.valueUTC && mrz.birthDate && birth.valueUTC.slice(0, 10) !== mrz.birthDate) {
    warnings.push(warn('DOCUMENT_DOB_MISMATCH', birth.confidence, { mrz: mrz.birthDate, printed: birth.value, on: 'front' }));
  }
  return warnings;
}

/** Printed values under this confidence are not trusted to contradict the MRZ (the reader's own bar). */
const TRUSTED_CONFIDENCE = 0.85;

/**
 * Two readings of one value agree up to OCR noise: at most a quarter of the characters (at least one) differ. A
 * misread letter of a laminated name is not evidence of another document.
 */
function similar(a: string, b: string): boolean {
  const x = letters(a);
  const y = letters(b);
  return editDistance(x, y) <= Math.max(1, Math.ceil(0.25 * Math.max(x.length, y.length)) - 1);
}

function givenNamesAgree(printed: string, mrz: string): boolean {
  const p = printed.toUpperCase().split(/[^A-Z]+/).filter(Boolean);
  const m = mrz.toUpperCase().split(/[^A-Z]+/).filter(Boolean);
  const truncated = letters(printed).startsWith(letters(mrz)) || m.every((name, i) => p[i]?.startsWith(name));
  return truncated || similar(printed, mrz);
}

function letters(value: string): string {
  return value.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** The identity a stored document capture gives (fields the reading trusts; unreadable ones are left out). */
export function identityOfCapture(capture: DocumentSideCapture): SessionIdentity {
  const value = (title: string, utc = false) => {
    const field = capture.ocrFields.find((f) => f.title === title && !f.isUnreadable);
    return (utc ? field?.valueUTC?.slice(0, 10) : field?.value) || undefined;
  };
  const identity: SessionIdentity = {
    surname: value('surname'),
    givenNames: value('givenNames'),
    birthDate: value('birthDate', true),
    documentNumber: value('documentNumber'),
    documentType: capture.documentType ?? undefined,
    issuingCountry: capture.documentCountry ?? undefined,
    nationality: value('nationality'),
    expiryDate: value('expiryDate', true),
    sex: value('sex'),
    personalNumber: value('personalNumber'),
  };
  return Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined)) as SessionIdentity;
}

/** The first warning of each code (two captures, or two checks, may report the same finding). */
export function uniqueByCode(warnings: readonly Warning[]): Warning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => !seen.has(w.code) && seen.add(w.code));
}
