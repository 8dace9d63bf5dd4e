import { FIELD_TITLES, mrzDateToUtc } from '../document-fields.js';
import type { DocumentField, DocumentKind } from '../document.types.js';
import { printedDate } from './viz-cross-check.js';
import { joinRows, labelKey, labelledValues, type VizFieldName } from './viz-labels.js';
import type { VizLine } from './viz-reader.js';

/** Captioned fields a document without an MRZ needs before its visual zone counts as read. */
export const MIN_VIZ_FIELDS = 3;
/** Mean confidence under which a printed value is unreadable (the MRZ fields use the same bound). */
const UNREADABLE_BELOW = 0.5;

/** Document titles as printed in headers (English and the issuers' languages), as {@link labelKey} normalises them. */
const TITLES: ReadonlyArray<[DocumentKind, readonly string[]]> = [
  ['RESIDENCE_PERMIT', ['residencepermit', 'titredesejour', 'aufenthaltstitel', 'permesso', 'permisoderesidencia', 'verblijfsvergunning']],
  ['ID_CARD', ['identitycard', 'idcard', 'cartedidentite', 'cartenationale', 'personalausweis', 'identitatskarte', 'documentonacionaldeidentidad', 'cartadidentita', 'identiteitskaart', 'identiteitsbewijs']],
  ['PASSPORT', ['passport', 'passeport', 'reisepass', 'pasaporte', 'passaporto', 'paspoort']],
];

/** The document kind its printed title names, `UNKNOWN` without one. */
export function kindFromViz(lines: readonly VizLine[]): DocumentKind {
  for (const [kind, titles] of TITLES) {
    if (lines.some((line) => titles.some((title) => labelKey(line.text).includes(title)))) return kind;
  }
  return 'UNKNOWN';
}

/** A printed value cleaned to what the field holds. */
function cleaned(field: VizFieldName, text: string): string | null {
  const upper = text.toUpperCase();
  switch (field) {
    case 'surname':
    case 'givenNames':
      return upper.replace(/[^\p{L}' -]/gu, '').replace(/\s+/g, ' ').trim() || null;
    case 'documentNumber':
      // The longest token with a digit: a line may carry the document type and code too.
      return (
        upper
          .split(/[^A-Z0-9]+/)
          .filter((token) => /\d/.test(token))
          .sort((a, b) => b.length - a.length)[0] ?? null
      );
    case 'birthDate':
    case 'expiryDate':
      return printedDate(text) ?? null;
  }
}

/**
 * Fields of a document without an MRZ (a card's front), from the values under their captions:
 * surname, given names, document number, birth and expiry dates (as `YYMMDD`, like the MRZ's).
 * No check digit covers them; their confidence is the recogniser's.
 */
export function fieldsFromViz(read: readonly VizLine[], now: Date): DocumentField[] {
  const captioned = labelledValues(joinRows(read));
  const fields: DocumentField[] = [];
  for (const [name, line] of captioned) {
    const value = cleaned(name, line.text);
    const date = name === 'birthDate' ? 'birth' : name === 'expiryDate' ? 'expiry' : undefined;
    const valueUTC = value && date ? mrzDateToUtc(value, date, now) : null;
    const confidence = Math.round(line.confidence * 1000) / 1000;
    fields.push({
      name,
      title: FIELD_TITLES[name],
      value,
      valueUTC,
      confidence,
      isUnreadable: value === null || confidence < UNREADABLE_BELOW || (date !== undefined && valueUTC === null),
      isMismatch: false,
      visual: { value: line.text, confidence, foundBy: 'label' },
    });
  }
  return fields;
}
