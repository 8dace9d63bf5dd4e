/** How much a warning weighs in a decision (reference 002 uses the same four levels). */
export enum WarningSeverity {
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
  NONE = 'NONE',
}

/**
 * A finding on a capture or a session: a stable code from the catalogue (`domain/warnings/`), its severity,
 * how sure the check is (0..1) and the parameters that explain it (score, threshold, field, …).
 */
export interface Warning {
  code: string;
  severity: WarningSeverity;
  confidence: number;
  message: string;
  params?: Record<string, string | number | boolean | null>;
}
