import type { Face, Inference } from '../../inference/index.js';
import type { CheckConfig } from '../scenarios/scenario-settings.js';
import { StepKind } from '../scenarios/scenario-step.entity.js';
import type { Warning } from '../warnings/warning.js';
import { mainFace, matchWarnings, portraitWarnings, sameSessionWarnings, selfieWarnings } from './face-rules.js';

/** What the models found on one capture, and the warnings that concern that capture alone. */
export interface CaptureAnalysis {
  width: number;
  height: number;
  faces: Face[];
  warnings: Warning[];
  timingsMs: Record<string, number>;
}

/** The main face of the latest accepted capture of a step, for the rules that span steps. */
export interface StepFace {
  position: number;
  kind: StepKind;
  embedding: readonly number[];
}

/**
 * The verification engine: asks the inference box for what a step's checks need, and turns what it found into
 * warnings. It decides nothing about persistence or status (CaptureService and the decision rules do).
 */
export class VerificationEngine {
  constructor(private readonly inference: () => Promise<Inference>) {}

  /** Analyses one upload for a step of the given kind. Throws the inference box's typed errors (BAD_IMAGE, BUSY, …). */
  async analyze(kind: StepKind, image: Uint8Array, checks: Record<string, CheckConfig>): Promise<CaptureAnalysis> {
    const inference = await this.inference();
    // A portrait on a document photographed whole is small: search it thoroughly (image pyramid and tiles).
    const analysis = await inference.analyzeFaces(image, { search: kind === StepKind.DOCUMENT ? 'thorough' : 'auto' });
    const warnings = kind === StepKind.DOCUMENT ? portraitWarnings(analysis.faces) : selfieWarnings(analysis.faces, { kind, checks });
    return { width: analysis.width, height: analysis.height, faces: analysis.faces, warnings, timingsMs: { ...analysis.timings } };
  }

  /**
   * Rules across the steps of one session: every selfie-like face against the document portrait (FACE_MISMATCH,
   * FACE_IDENTICAL), and selfie-like faces against each other (DIFFERENT_FACES_IN_SESSION).
   */
  sessionWarnings(faces: readonly StepFace[], checks: Record<string, CheckConfig>): Warning[] {
    const portrait = faces.find((f) => f.kind === StepKind.DOCUMENT);
    const selfies = faces.filter((f) => f.kind !== StepKind.DOCUMENT);
    const warnings: Warning[] = [];
    for (const selfie of selfies) {
      if (portrait) warnings.push(...matchWarnings(selfie.embedding, portrait.embedding, checks).map((w) => withSteps(w, selfie, portrait)));
    }
    for (let i = 1; i < selfies.length; i++) {
      warnings.push(...sameSessionWarnings(selfies[0]!.embedding, selfies[i]!.embedding, checks).map((w) => withSteps(w, selfies[0]!, selfies[i]!)));
    }
    return warnings;
  }
}

/** The main face of an analysis if it can be compared. */
export function comparableFace(analysis: CaptureAnalysis): Face | undefined {
  const face = mainFace(analysis.faces);
  return face && face.embedding ? face : undefined;
}

function withSteps(warning: Warning, a: StepFace, b: StepFace): Warning {
  return { ...warning, params: { ...warning.params, steps: `${a.position},${b.position}` } };
}
