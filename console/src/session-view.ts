/** Pure readings of the API's session JSON for the detail page (the API decides; these only pick fields to show). */

/** An OCR field as the API sends it (Capture.ocrFields). */
export interface OcrFieldView {
  title: string;
  value: string;
  confidence: number | null;
  flags: string[];
}

export function ocrFields(fields: readonly Record<string, unknown>[]): OcrFieldView[] {
  return fields.map((field) => ({
    title: String(field.title ?? ''),
    value: String(field.valueUTC ?? field.value ?? ''),
    confidence: typeof field.confidence === 'number' ? field.confidence : null,
    flags: (['isMismatch', 'isUnreadable', 'isEdited'] as const).filter((flag) => field[flag] === true).map((flag) => flag.slice(2).toLowerCase()),
  }));
}

/** One check digit of the MRZ: its name, whether it holds, the digit read and the one the data computes to. */
export interface MrzCheckView {
  name: string;
  valid: boolean;
  digit: string;
  expected: string | null;
}

export interface MrzView {
  format: string;
  lines: string[];
  valid: boolean;
  checks: MrzCheckView[];
}

export function mrzView(mrz: Record<string, unknown> | null | undefined): MrzView | null {
  if (!mrz) return null;
  const checks = Array.isArray(mrz.checks) ? (mrz.checks as Record<string, unknown>[]) : [];
  return {
    format: String(mrz.format ?? ''),
    lines: Array.isArray(mrz.lines) ? mrz.lines.map(String) : [],
    valid: mrz.valid === true,
    checks: checks.map((c) => ({ name: String(c.name ?? ''), valid: c.valid === true, digit: String(c.digit ?? ''), expected: c.expected == null ? null : String(c.expected) })),
  };
}

export interface ExplainedWarning {
  code: string;
  severity: string;
  confidence: number | null;
  message: string | null;
  effect: string | null;
  threshold: number | null;
  value: number | null;
}

/**
 * Every warning of a session with what the decision made of it: the session's warnings (confidence, message) joined
 * by code with the decision's explanation (effect, threshold, value). A code only one side names is still listed.
 */
export function explainWarnings(
  warnings: readonly { code: string; severity: string; confidence: number; message: string }[],
  decided: readonly { code: string; severity: string; effect: string; threshold?: number | null; value?: number | null }[],
): ExplainedWarning[] {
  const byCode = new Map<string, ExplainedWarning>();
  for (const w of warnings) {
    byCode.set(w.code, { code: w.code, severity: w.severity, confidence: w.confidence, message: w.message, effect: null, threshold: null, value: null });
  }
  for (const d of decided) {
    const known = byCode.get(d.code);
    byCode.set(d.code, {
      code: d.code,
      severity: known?.severity ?? d.severity,
      confidence: known?.confidence ?? null,
      message: known?.message ?? null,
      effect: d.effect,
      threshold: d.threshold ?? null,
      value: d.value ?? null,
    });
  }
  return [...byCode.values()];
}

/** A score 0..1 as a percentage. */
export function percent(value: number | null | undefined): string {
  return value == null ? '—' : `${(value * 100).toFixed(1)} %`;
}
