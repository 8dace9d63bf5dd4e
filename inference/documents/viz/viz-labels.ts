import type { VizLine } from './viz-reader.js';

/** Visual-zone fields found by their printed label. */
export type VizFieldName = 'surname' | 'givenNames' | 'documentNumber' | 'birthDate' | 'expiryDate';

/**
 * Field labels as printed on data pages and cards (ICAO 9303 part 4 §4.2 / part 5 §4.2 give the
 * English captions; issuers add their own language: French, German, Spanish, Italian, Dutch
 * here), lower-case letters only, as {@link labelKey} normalises them.
 */
const LABELS: Readonly<Record<VizFieldName, readonly string[]>> = {
  surname: ['surname', 'surnames', 'familyname', 'lastname', 'nom', 'name', 'nachname', 'familienname', 'apellidos', 'apellido', 'cognome', 'achternaam'],
  givenNames: ['givennames', 'givenname', 'forenames', 'firstname', 'firstnames', 'prenoms', 'prenom', 'vornamen', 'vorname', 'nombre', 'nombres', 'nome', 'voornamen'],
  documentNumber: ['documentno', 'documentnumber', 'docno', 'passportno', 'passportnumber', 'cardno', 'cardnumber', 'idno', 'typecodepassportno', 'nodudocument', 'nodupasseport', 'dokumentennummer', 'passnummer', 'numerodedocumento', 'documentnummer'],
  birthDate: ['dateofbirth', 'birthdate', 'bornon', 'datedenaissance', 'geburtsdatum', 'geburtstag', 'fechadenacimiento', 'datadinascita', 'geboortedatum'],
  expiryDate: ['dateofexpiry', 'expirydate', 'expires', 'dateofexpiration', 'expirationdate', 'validuntil', 'validthru', 'datedexpiration', 'gultigbis', 'fechadecaducidad', 'scadenza', 'geldigtot'],
};

/** Lower-case letters only, with the recogniser's commonest label confusion folded (`rn` read as `m`). */
export function labelKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .replace(/rn/g, 'm');
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The field a line labels, if any. Long captions match inside a longer line (bilingual captions
 * like `Surname / Nom`), with one misread letter in four, or as a cut-off start (the detector
 * splits captions); captions under five letters only exactly.
 */
export function labelOf(text: string): VizFieldName | undefined {
  const key = labelKey(text);
  if (key.length < 3) return undefined;
  let best: { field: VizFieldName; score: number } | undefined;
  for (const [field, words] of Object.entries(LABELS) as Array<[VizFieldName, readonly string[]]>) {
    for (const raw of words) {
      const word = raw.replace(/rn/g, 'm');
      let score = 0;
      if (key === word) score = 3;
      else if (word.length >= 5 && (key.includes(word) || editDistance(key, word) <= Math.floor(word.length / 4))) score = 2;
      else if (word.length >= 5 && key.length >= 4 && word.startsWith(key) && key.length >= 0.6 * word.length) score = 1;
      if (score > 0 && (!best || score + word.length / 100 > best.score)) best = { field, score: score + word.length / 100 };
    }
  }
  return best?.field;
}

/**
 * Joins pieces of one printed line that the detector split (a caption cut in two, a date whose
 * spaces were gaps): boxes on the same row less than a line height apart.
 */
export function joinRows(lines: readonly VizLine[]): VizLine[] {
  const sorted = lines.slice().sort((a, b) => a.u0 - b.u0);
  const rows: VizLine[] = [];
  for (const line of sorted) {
    const h = line.v1 - line.v0;
    const row = rows.find((r) => Math.abs((r.v0 + r.v1) / 2 - (line.v0 + line.v1) / 2) < 0.35 * h && line.u0 - r.u1 < 0.8 * h && line.u0 >= r.u0);
    if (!row) {
      rows.push(line);
      continue;
    }
    rows[rows.indexOf(row)] = {
      text: `${row.text} ${line.text}`,
      confidence: (row.confidence * row.text.length + line.confidence * line.text.length) / (row.text.length + line.text.length),
      u0: row.u0,
      u1: Math.max(row.u1, line.u1),
      v0: Math.min(row.v0, line.v0),
      v1: Math.max(row.v1, line.v1),
    };
  }
  return rows.sort((a, b) => a.v0 - b.v0 || a.u0 - b.u0);
}

/**
 * The value printed under each caption (ICAO 9303 part 4 §4.2.3: captions sit above their data):
 * the nearest non-caption line below, starting where the caption starts.
 */
export function labelledValues(lines: readonly VizLine[]): Map<VizFieldName, VizLine> {
  const captions = lines.map((line) => labelOf(line.text));
  const found = new Map<VizFieldName, VizLine>();
  lines.forEach((label, i) => {
    const field = captions[i];
    if (!field || found.has(field)) return;
    const h = label.v1 - label.v0;
    const centre = (label.v0 + label.v1) / 2;
    let best: { line: VizLine; gap: number } | undefined;
    lines.forEach((line, j) => {
      if (captions[j]) return;
      const gap = (line.v0 + line.v1) / 2 - centre;
      const height = line.v1 - line.v0;
      if (gap < 0.5 * h || gap > 3 * Math.max(h, height) || Math.abs(line.u0 - label.u0) > 1.5 * height) return;
      if (!best || gap < best.gap) best = { line, gap };
    });
    if (best) found.set(field, best.line);
  });
  return found;
}
