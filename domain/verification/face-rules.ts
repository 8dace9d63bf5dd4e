import { FACE_MATCH_THRESHOLD, cosineSimilarity, type Face } from '../../inference/index.js';
import type { CheckConfig } from '../scenarios/scenario-settings.js';
import { effectiveCheck, warn } from '../warnings/warning-policy.js';
import type { Warning } from '../warnings/warning.js';

/** A face that counts as a second person on a selfie: at least this share of the main face's size. */
const SECOND_FACE_SHARE = 0.4;

/**
 * Anti-spoofing score under which a face is called a recapture (a photo of a photo or of a screen). The model's
 * live-class probability; see docs/MODELS.md for what it can and cannot tell.
 */
export const DEFAULT_ANTI_SPOOF_THRESHOLD = 0.5;

/** The face a step is about: the largest one (faces come largest first). */
export function mainFace(faces: readonly Face[]): Face | undefined {
  return faces[0];
}

/**
 * Rules on one selfie-like capture (SELFIE, SELFIE_WITH_DOCUMENT, LIVENESS): a face must be there, alone (a selfie
 * with a document also shows the portrait, so two faces are expected there), big enough, and live.
 */
export function selfieWarnings(
  faces: readonly Face[],
  options: { kind: 'SELFIE' | 'SELFIE_WITH_DOCUMENT' | 'LIVENESS'; checks: Record<string, CheckConfig> },
): Warning[] {
  const main = mainFace(faces);
  if (!main) return [warn('SELFIE_FACE_NOT_FOUND', 1)];
  const warnings: Warning[] = [];
  const others = faces.slice(1).filter((f) => f.size >= main.size * SECOND_FACE_SHARE);
  const allowedOthers = options.kind === 'SELFIE_WITH_DOCUMENT' ? 1 : 0;
  if (others.length > allowedOthers) {
    warnings.push(warn('SELFIE_MULTIPLE_FACES', Math.min(...others.map((f) => f.score)), { faces: others.length + 1 }));
  }
  if (main.tooSmall) return [...warnings, warn('FACE_TOO_SMALL', 1, { value: main.size, minimum: 30 })];
  if (main.liveness) {
    const code = options.kind === 'LIVENESS' ? 'FACE_LIVENESS_ERR' : 'RECAPTURED_FACE';
    const threshold = effectiveCheck(code, options.checks).threshold ?? DEFAULT_ANTI_SPOOF_THRESHOLD;
    if (main.liveness.score < threshold) {
      warnings.push(warn(code, 1 - main.liveness.score, { value: round(main.liveness.score), threshold }));
    }
  }
  return warnings;
}

/**
 * A selfie with a document shows two faces: the applicant's (the largest) and the portrait on the document held up
 * (the next one; the search must be thorough, it is small). The held portrait must be there, big enough to compare,
 * and show the applicant: FACE_MISMATCH (or FACE_IDENTICAL) between the two, marked `on: 'held document'`.
 */
export function heldDocumentWarnings(faces: readonly Face[], checks: Record<string, CheckConfig>): Warning[] {
  const main = mainFace(faces);
  if (!main?.embedding) return [];
  const held = faces[1];
  if (!held) return [warn('DOCUMENT_FACE_NOT_FOUND', 1, { on: 'held document' })];
  if (!held.embedding) return [warn('FACE_TOO_SMALL', 1, { value: held.size, minimum: 30, on: 'held document' })];
  return matchWarnings(main.embedding, held.embedding, checks).map((w) => ({ ...w, params: { ...w.params, on: 'held document' } }));
}

/** Rules on the portrait found on a document capture. */
export function portraitWarnings(faces: readonly Face[]): Warning[] {
  const main = mainFace(faces);
  if (!main) return [warn('DOCUMENT_FACE_NOT_FOUND', 1)];
  if (main.tooSmall) return [warn('FACE_TOO_SMALL', 1, { value: main.size, minimum: 30, on: 'document' })];
  return [];
}

/**
 * Selfie ↔ document portrait: FACE_MISMATCH under the match threshold; FACE_IDENTICAL when the two are so alike
 * that the "selfie" is the document photo itself (two real captures of a face never score that high).
 */
export function matchWarnings(selfie: readonly number[], portrait: readonly number[], checks: Record<string, CheckConfig>): Warning[] {
  const similarity = cosineSimilarity(selfie, portrait);
  const threshold = effectiveCheck('FACE_MISMATCH', checks).threshold ?? FACE_MATCH_THRESHOLD;
  if (similarity < threshold) {
    return [warn('FACE_MISMATCH', (threshold - similarity) / threshold, { value: round(similarity), threshold })];
  }
  const identical = effectiveCheck('FACE_IDENTICAL', checks).threshold!;
  if (similarity >= identical) return [warn('FACE_IDENTICAL', similarity, { value: round(similarity), threshold: identical })];
  return [];
}

/** Two selfie-like steps of one session must show the same person. */
export function sameSessionWarnings(a: readonly number[], b: readonly number[], checks: Record<string, CheckConfig>): Warning[] {
  const similarity = cosineSimilarity(a, b);
  const threshold = effectiveCheck('FACE_MISMATCH', checks).threshold ?? FACE_MATCH_THRESHOLD;
  return similarity < threshold ? [warn('DIFFERENT_FACES_IN_SESSION', 1 - similarity, { value: round(similarity), threshold })] : [];
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
