import type { Face } from '../faces/face.types.js';
import type { Quad } from './localization/perspective.js';
import type { MrzCorrection } from './mrz/mrz-correction.js';
import type { MrzCheckResult, MrzFieldError, MrzFields } from './mrz/mrz-parser.js';
import type { MrzFormat } from './mrz/mrz-layout.js';

/** Severity levels of reference 002, the same four the domain's warning catalogue uses. */
export type WarningSeverity = 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE';

/** A finding, as plain data; `domain/warnings/` owns what each code means for a decision. */
export interface DocumentWarning {
  readonly code: string;
  readonly severity: WarningSeverity;
  /** How sure the check is, 0..1 (reference 002 states per code what it is). */
  readonly confidence: number;
  readonly message: string;
  readonly params: Readonly<Record<string, string | number | boolean | null>>;
}

/** What kind of document the MRZ's document code says it is (ICAO 9303 parts 4–7). */
export type DocumentKind = 'PASSPORT' | 'ID_CARD' | 'VISA' | 'RESIDENCE_PERMIT' | 'UNKNOWN';

/** Machine names of the extracted fields. */
export type DocumentFieldName =
  | 'documentKind'
  | 'issuingCountry'
  | 'surname'
  | 'givenNames'
  | 'documentNumber'
  | 'nationality'
  | 'birthDate'
  | 'sex'
  | 'expiryDate'
  | 'personalNumber';

/** One extracted field (DESIGN.md §2, Capture OCR fields). */
export interface DocumentField {
  readonly name: DocumentFieldName;
  /** Human title, e.g. `Date of birth`. */
  readonly title: string;
  /** The value as printed (fillers removed); `null` when nothing was read. */
  readonly value: string | null;
  /** ISO 8601 UTC midnight for dates, `null` for other fields or an impossible date. */
  readonly valueUTC: string | null;
  /** OCR confidence of the field's characters, 0..1. */
  readonly confidence: number;
  /** Not read, not legible enough, or breaking its format. */
  readonly isUnreadable: boolean;
  /** The visual zone says something else than the MRZ (see {@link DocumentField.visual}). */
  readonly isMismatch: boolean;
  /** The value as printed in the visual zone, when it was read; `null` otherwise. */
  readonly visual: VisualValue | null;
}

/** A field's value as printed in the visual zone. */
export interface VisualValue {
  /** The recognised text of the value's line. */
  readonly value: string;
  readonly confidence: number;
  /** `label`: the line under the field's caption; `value`: a line that matches the MRZ value (no caption read). */
  readonly foundBy: 'label' | 'value';
}

/** The MRZ as reported to callers. */
export interface DocumentMrz {
  readonly format: MrzFormat;
  /** Corrected lines. */
  readonly lines: readonly string[];
  /** Lines as recognised, before correction. */
  readonly rawLines: readonly string[];
  readonly valid: boolean;
  readonly fields: MrzFields;
  readonly checks: readonly MrzCheckResult[];
  readonly errors: readonly MrzFieldError[];
  readonly corrections: readonly MrzCorrection[];
  readonly confidence: number;
  /** Where each line is in the image. */
  readonly boxes: readonly Quad[];
}

/** Where the document is in the photo. */
export interface DocumentLocation {
  /** Corners clockwise from the document's top-left, in image pixels; `null` when not found. */
  readonly corners: Quad | null;
  /** Long and short side of the document in the photo, pixels (the whole image when not found). */
  readonly longSide: number;
  readonly shortSide: number;
  /**
   * How the document was found: its outline against the background; estimated from the MRZ band
   * (no outline, e.g. a busy background: the format's nominal size at the band's scale); or not
   * at all (the whole frame).
   */
  readonly method: 'outline' | 'mrz' | 'frame';
}

/** Which way the document's text runs in the photo, and what told. */
export interface DocumentOrientation {
  /** Reading direction of the document's text, degrees clockwise from the photo's x axis, in (−180, 180]: 0 upright, 90 turned a quarter clockwise. */
  readonly angle: number;
  /** `mrz`: the MRZ's reading direction; `text`: the text lines' axis and the recogniser's vote on its sense; `none`: nothing to go by (taken as upright). */
  readonly source: 'mrz' | 'text' | 'none';
}

/** Scores of the image forensics, each 0..1 (higher = more of the defect); see docs/DOCUMENTS.md. */
export interface ForensicScores {
  /** Steepness of the document's sharpest edges, % of its contrast per pixel at 640 px (higher is sharper; see blur.forensic.ts). */
  readonly sharpness: number;
  readonly blur: number;
  /** Share of the document in saturated, colourless highlight blobs. */
  readonly glareArea: number;
  readonly glare: number;
  /** Mean chroma of the document, 0..255. */
  readonly colourfulness: number;
  readonly blackAndWhite: number;
  /** Editor found in EXIF `Software` / XMP `CreatorTool`, if any. */
  readonly editor: string | null;
  /** Strength of periodic peaks in the spectrum (pixel grid / moiré). */
  readonly screen: number;
  /** Strength of a square lattice of print dots (a halftoned printed copy photographed); see docs/DOCUMENTS.md. */
  readonly printedCopy: number;
}

/** The portrait face of the document, from the face pipeline. */
export interface DocumentPortrait {
  /** The face (with embedding, for matching a selfie), `null` when none was found. Box and landmarks in photo pixels. */
  readonly face: Face | null;
  /**
   * Where it was found: `photo`, the face search on the whole photo (upright document, face inside
   * the outline); `document`, the search on the document cut out and turned upright; `null` when
   * there is none.
   */
  readonly foundOn: 'photo' | 'document' | null;
}

/**
 * Which side of the document the photo shows: `FRONT` the side with the portrait (a passport's
 * data page, a card's front); `BACK` a card side with a TD1 MRZ and no portrait (ICAO 9303 part 5
 * puts the MRZ on the back of ID-1 cards); `UNKNOWN` neither.
 */
export type DocumentSide = 'FRONT' | 'BACK' | 'UNKNOWN';

/** Milliseconds per stage. */
export interface DocumentTimings {
  decode: number;
  localize: number;
  forensics: number;
  detect: number;
  recognize: number;
  /** Orientation, the upright crop for the portrait search. */
  orient: number;
  /** Reading the visual zone and cross-checking it. */
  viz: number;
  portrait: number;
  /** From the call to the answer, queueing included. */
  total: number;
}

/** What `analyzeDocument` returns. */
export interface DocumentAnalysis {
  /** Image size after EXIF orientation. */
  readonly width: number;
  readonly height: number;
  readonly kind: DocumentKind;
  /** Issuing state code (ICAO 9303 part 3 §5), `null` when not read. */
  readonly country: string | null;
  readonly countryName: string | null;
  readonly location: DocumentLocation;
  /** Which way the document lies in the photo. */
  readonly orientation: DocumentOrientation;
  readonly side: DocumentSide;
  readonly fields: readonly DocumentField[];
  readonly mrz: DocumentMrz | null;
  readonly forensics: ForensicScores;
  readonly portrait: DocumentPortrait | null;
  readonly warnings: readonly DocumentWarning[];
  readonly timings: DocumentTimings;
}

/** Options of `analyzeDocument`. */
export interface AnalyzeDocumentOptions {
  /**
   * The clock for expiry and age warnings (ISO string, epoch milliseconds or Date).
   * @default the current time
   */
  now?: string | number | Date;
  /**
   * Fields whose absence gives a `MISSING_*` warning.
   * @default ['surname', 'documentNumber', 'birthDate', 'expiryDate']
   */
  requiredFields?: readonly DocumentFieldName[];
  /**
   * Field confidence under which `LOW_TEXT_CONFIDENCE` is raised.
   * @default 0.6
   */
  lowConfidence?: number;
  /**
   * Run the face pipeline on the document for its portrait.
   * @default true
   */
  portrait?: boolean;
  /**
   * Long side of the text detector's input, pixels.
   * @default 960
   */
  detectMaxSide?: number;
  /**
   * Read the visual zone and cross-check it with the MRZ (about as costly as the MRZ's own recognition).
   * @default true
   */
  visualZone?: boolean;
}
