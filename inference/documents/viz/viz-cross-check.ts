import type { DocumentField, DocumentWarning, VisualValue } from '../document.types.js';
import { warning } from '../document-warnings.js';
import { editDistance, joinRows, labelledValues, type VizFieldName } from './viz-labels.js';
import type { VizLine } from './viz-reader.js';

/** Recogniser confidence a printed value needs before it may contradict the MRZ. */
const TRUSTED_CONFIDENCE = 0.85;

const MONTHS: ReadonlyArray<readonly string[]> = [
  ['JAN', 'GEN', 'ENE'],
  ['FEB', 'FEV', 'FEVR'],
  ['MAR', 'MARS', 'MRZ', 'MAER'],
  ['APR', 'AVR', 'ABR'],
  ['MAY', 'MAI', 'MAG'],
  ['JUN', 'JUIN', 'GIU'],
  ['JUL', 'JUIL', 'LUG'],
  ['AUG', 'AOU', 'AOUT', 'AGO'],
  ['SEP', 'SEPT', 'SET'],
  ['OCT', 'OKT', 'OTT'],
  ['NOV'],
  ['DEC', 'DEZ', 'DIC'],
];

/** ICAO 9303 part 3 §6 transliterations (both the plain and the expanded spelling are legal in an MRZ). */
function spellings(text: string): string[] {
  const upper = text.toUpperCase();
  const expanded = upper.replace(/Ä|Æ/g, 'AE').replace(/Ö|Ø|Œ/g, 'OE').replace(/Ü/g, 'UE').replace(/Å/g, 'AA').replace(/ß/g, 'SS');
  const plain = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'SS').replace(/[^A-Z]/g, '');
  return [...new Set([plain(upper), plain(expanded)])];
}

/** Letters only: how names are compared (the recogniser drops spaces; the MRZ turns hyphens and apostrophes into fillers or nothing). */
function nameKey(text: string): string {
  return text.replace(/[^A-Z]/g, '');
}

/**
 * Distance of a printed name from the MRZ's; 0 when the MRZ holds the name truncated as ICAO 9303
 * part 3 §4.6 does it when the name field is full: cut at the field's end (a prefix), given names
 * first, down to their initials.
 */
function nameDistance(field: 'surname' | 'givenNames', printed: string, mrz: string): number {
  const target = nameKey(mrz);
  const initials = printed
    .toUpperCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean)
    .map((word) => spellings(word)[0]?.[0] ?? '')
    .join('');
  const truncated = (s: string) => (field === 'givenNames' ? s.startsWith(target) || initials === target : target.length >= 10 && s.startsWith(target));
  return Math.min(...spellings(printed).map((s) => (truncated(s) ? 0 : editDistance(s, target))));
}

/**
 * A printed date as MRZ `YYMMDD`: `12 AUG 1974` (the ICAO VIZ form, part 3 §3.4, also with
 * the issuer's month, `12 AOUT/AUG 74`), `12.08.1974`, `12/08/74`, `1974-08-12`. `undefined`
 * when the text holds no date.
 */
export function printedDate(text: string): string | undefined {
  const t = text.toUpperCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const two = (n: string) => n.padStart(2, '0');
  const iso = /(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})/.exec(t);
  if (iso) return valid(iso[1]!.slice(2), two(iso[2]!), two(iso[3]!));
  const numeric = /(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4}|\d{2})(?!\d)/.exec(t);
  if (numeric) return valid(numeric[3]!.slice(-2), two(numeric[2]!), two(numeric[1]!));
  const named = /(\d{1,2})[\s.-]*([A-Z]{3,5})(?:\s*\/\s*[A-Z]{3,5})?[\s.-]*(\d{4}|\d{2})(?!\d)/.exec(t);
  if (named) {
    const month = MONTHS.findIndex((names) => names.includes(named[2]!));
    if (month >= 0) return valid(named[3]!.slice(-2), two(String(month + 1)), two(named[1]!));
  }
  const digits = t.replace(/\s/g, '');
  if (/^\d{8}$/.test(digits)) return valid(digits.slice(6), digits.slice(2, 4), digits.slice(0, 2));
  return undefined;
}

function valid(yy: string, mm: string, dd: string): string | undefined {
  const m = Number(mm);
  const d = Number(dd);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31 ? `${yy}${mm}${dd}` : undefined;
}

/** Least distance of the MRZ number from any stretch of the printed line (the line may carry type and code too). */
function numberDistance(printed: string, mrz: string): number {
  const line = printed.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (line.length <= mrz.length) return editDistance(line, mrz);
  let best = Infinity;
  for (let i = 0; i + mrz.length <= line.length; i++) best = Math.min(best, editDistance(line.slice(i, i + mrz.length), mrz));
  return best;
}

/** How far a printed value is from the MRZ value of a field; `undefined` when the text is not a value of that kind. */
function distance(field: VizFieldName, printed: string, mrz: string): number | undefined {
  switch (field) {
    case 'surname':
    case 'givenNames':
      return nameDistance(field, printed, mrz);
    case 'documentNumber':
      return numberDistance(printed, mrz);
    case 'birthDate':
    case 'expiryDate': {
      const date = printedDate(printed);
      return date === undefined ? undefined : date === mrz ? 0 : editDistance(date, mrz) + 1;
    }
  }
}

/** Outcome of {@link crossCheckViz}. */
export interface VizCrossCheck {
  readonly fields: DocumentField[];
  readonly warnings: DocumentWarning[];
}

const CHECKED: readonly VizFieldName[] = ['surname', 'givenNames', 'documentNumber', 'birthDate', 'expiryDate'];

/**
 * Cross-checks the visual zone with the MRZ (reference 002: the printed name and birth date must
 * be the MRZ's). Each checked field's printed value is the one under its caption, or else the
 * line that matches the MRZ value. A captioned value contradicts the MRZ when it was read
 * confidently and differs by two characters or more and a quarter of its length (names, number)
 * or names another day (dates): a misread letter or two of a long name is OCR noise (glare on a
 * laminate), not evidence. Raises `DOCUMENT_NAME_MISMATCH` and
 * `DOCUMENT_DOB_MISMATCH`; other fields are only marked `isMismatch`.
 */
export function crossCheckViz(fields: readonly DocumentField[], read: readonly VizLine[]): VizCrossCheck {
  const lines = joinRows(read);
  const captioned = labelledValues(lines);
  const warnings: DocumentWarning[] = [];
  const out = fields.map((f): DocumentField => {
    const name = f.name as VizFieldName;
    if (!CHECKED.includes(name) || f.value === null) return f;
    const mrz = f.value;
    const labelled = captioned.get(name);
    let visual: VisualValue | null = null;
    let mismatch = false;
    const d = labelled ? distance(name, labelled.text, mrz) : undefined;
    if (labelled && d !== undefined) {
      visual = { value: labelled.text, confidence: round(labelled.confidence), foundBy: 'label' };
      const tolerance = name === 'birthDate' || name === 'expiryDate' ? 0 : Math.max(1, Math.ceil(0.25 * mrz.replace(/[^A-Z0-9]/g, '').length) - 1);
      mismatch = !f.isUnreadable && labelled.confidence >= TRUSTED_CONFIDENCE && d > tolerance;
    } else {
      const match = lines.find((line) => distance(name, line.text, mrz) === 0);
      if (match) visual = { value: match.text, confidence: round(match.confidence), foundBy: 'value' };
    }
    return { ...f, visual, isMismatch: mismatch };
  });
  const mismatched = (names: VizFieldName[]) => out.filter((f) => f.isMismatch && names.includes(f.name as VizFieldName));
  const names = mismatched(['surname', 'givenNames']);
  if (names.length > 0) {
    warnings.push(
      warning('DOCUMENT_NAME_MISMATCH', 'HIGH', Math.min(...names.map((f) => f.visual!.confidence)), 'The name printed in the visual zone differs from the MRZ.', {
        fields: names.map((f) => f.name).join(','),
        mrz: names.map((f) => f.value).join(' / '),
        printed: names.map((f) => f.visual!.value).join(' / '),
      }),
    );
  }
  const [birth] = mismatched(['birthDate']);
  if (birth) {
    warnings.push(
      warning('DOCUMENT_DOB_MISMATCH', 'HIGH', birth.visual!.confidence, 'The birth date printed in the visual zone differs from the MRZ.', {
        mrz: birth.value,
        printed: birth.visual!.value,
      }),
    );
  }
  return { fields: out, warnings };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
