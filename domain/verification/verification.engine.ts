import type { DocumentAnalysis, Face, Inference } from '../../inference/index.js';
import type { CheckConfig, ScenarioSettings } from '../scenarios/scenario-settings.js';
import { StepKind } from '../scenarios/scenario-step.entity.js';
import { fromFinding } from '../warnings/warning-policy.js';
import type { Warning } from '../warnings/warning.js';
import { documentRuleWarnings, type StepAcceptance } from './document-rules.js';
import { uniqueByCode } from './document-step.rules.js';
import { heldDocumentWarnings, matchWarnings, portraitWarnings, sameSessionWarnings, selfieWarnings } from './face-rules.js';

/** What the models found on one capture, and the warnings that concern that capture alone. */
export interface CaptureAnalysis {
  width: number;
  height: number;
  faces: Face[];
  warnings: Warning[];
  timingsMs: Record<string, number>;
  /** The document read on a document step. */
  document?: DocumentAnalysis;
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

  /** Analyses one upload for a step. Throws the inference box's typed errors (BAD_IMAGE, BUSY, …). */
  async analyze(
    step: { kind: StepKind } & StepAcceptance,
    image: Uint8Array,
    settings: ScenarioSettings,
    now: Date,
  ): Promise<CaptureAnalysis> {
    const inference = await this.inference();
    if (step.kind === StepKind.DOCUMENT) {
      // Acceptance, forensics, localisation, MRZ with check digits, fields, and the portrait through the face
      // pipeline (searched thoroughly: on a card photographed whole it is small).
      const doc = await inference.analyzeDocument(image, { now });
      const faces = doc.portrait?.face ? [doc.portrait.face] : [];
      const read = doc.warnings.map(fromFinding);
      // A card's back has no portrait (ICAO 9303 part 5): the step, not this side, decides whether one was found.
      const portrait = doc.side === 'BACK' ? [] : portraitWarnings(faces);
      const warnings = uniqueByCode([...read, ...portrait, ...documentRuleWarnings(doc, step, settings, now)]);
      return { width: doc.width, height: doc.height, faces, warnings, timingsMs: { ...doc.timings }, document: doc };
    }
    // A selfie with a document must find the small portrait on the document held up too: search thoroughly there.
    const withDocument = step.kind === StepKind.SELFIE_WITH_DOCUMENT;
    const analysis = await inference.analyzeFaces(image, { search: withDocument ? 'thorough' : 'auto' });
    const warnings = selfieWarnings(analysis.faces, { kind: step.kind, checks: settings.checks });
    if (withDocument && !warnings.some((w) => w.code === 'SELFIE_FACE_NOT_FOUND' || w.code === 'FACE_TOO_SMALL')) {
      warnings.push(...heldDocumentWarnings(analysis.faces, settings.checks));
    }
    return { width: analysis.width, height: analysis.height, faces: analysis.faces, warnings, timingsMs: { ...analysis.timings } };
  }

  /**
   * Rules across the steps of one session: every selfie-like face (the applicant's, also on a selfie with document)
   * against the document step's portrait (FACE_MISMATCH, FACE_IDENTICAL), and selfie-like faces against each other
   * (DIFFERENT_FACES_IN_SESSION).
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

function withSteps(warning: Warning, a: StepFace, b: StepFace): Warning {
  return { ...warning, params: { ...warning.params, steps: `${a.position},${b.position}` } };
}
