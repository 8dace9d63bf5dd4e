/** One field read from a document (reference 004 / 002 shapes). */
export interface OcrField {
  title: string;
  value: string;
  /** ISO 8601 date for date fields. */
  valueUTC?: string;
  confidence: number;
  isMismatch: boolean;
  isUnreadable: boolean;
  isEdited: boolean;
  imageIndex: number;
}

/** The machine-readable zone as read and checked (ICAO 9303 part 3 §4.9 check digits). */
export interface MrzReading {
  format: string;
  lines: string[];
  fields: Record<string, string | null>;
  /** Each check digit: which one, whether it holds, the digit read and the one the data computes to. */
  checks: { name: string; valid: boolean; digit: string; expected: string | null }[];
  valid: boolean;
}

/** Image facts measured at acceptance. */
export interface ImageMetadata {
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  orientation?: number;
  software?: string;
}
