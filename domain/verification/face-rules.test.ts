import { describe, expect, it } from 'vitest';
import { FACE_EMBEDDING_DIMENSIONS, FACE_MATCH_THRESHOLD, type Face } from '../../inference/index.js';
import { CheckEffect } from '../scenarios/scenario-settings.js';
import { heldDocumentWarnings, matchWarnings, portraitWarnings, sameSessionWarnings, selfieWarnings } from './face-rules.js';

/** A unit vector at `angle` radians from axis 0 in the plane of axes 0 and 1: cosine between two is cos(Δangle). */
function unit(angle: number): number[] {
  const v = new Array<number>(FACE_EMBEDDING_DIMENSIONS).fill(0);
  v[0] = Math.cos(angle);
  v[1] = Math.sin(angle);
  return v;
}

function face(size: number, live = 0.9, tooSmall = size < 30): Face {
  return {
    box: { x: 0, y: 0, width: size, height: size },
    score: 0.95,
    landmarks5: [],
    landmarks68: [],
    size,
    tooSmall,
    embedding: tooSmall ? null : unit(0),
    sharpness: 100,
    liveness: tooSmall ? null : { score: live, classes: [live, 1 - live, 0] },
    age: 30,
    gender: { value: 'female', score: 0.9 },
  };
}

const codes = (ws: { code: string }[]) => ws.map((w) => w.code);

describe('face rules', () => {
  it('selfie: no face, small face, second person, recapture', () => {
    expect(codes(selfieWarnings([], { kind: 'SELFIE', checks: {} }))).toEqual(['SELFIE_FACE_NOT_FOUND']);
    expect(codes(selfieWarnings([face(20)], { kind: 'SELFIE', checks: {} }))).toEqual(['FACE_TOO_SMALL']);
    expect(codes(selfieWarnings([face(200), face(120)], { kind: 'SELFIE', checks: {} }))).toEqual(['SELFIE_MULTIPLE_FACES']);
    // A face far in the background is not a second applicant.
    expect(codes(selfieWarnings([face(200), face(40)], { kind: 'SELFIE', checks: {} }))).toEqual([]);
    // A selfie with a document shows the portrait too.
    expect(codes(selfieWarnings([face(200), face(90)], { kind: 'SELFIE_WITH_DOCUMENT', checks: {} }))).toEqual([]);
    expect(codes(selfieWarnings([face(200, 0.2)], { kind: 'SELFIE', checks: {} }))).toEqual(['RECAPTURED_FACE']);
    expect(codes(selfieWarnings([face(200, 0.2)], { kind: 'LIVENESS', checks: {} }))).toEqual(['FACE_LIVENESS_ERR']);
  });

  it('uses the scenario threshold for liveness', () => {
    const strict = { RECAPTURED_FACE: { enabled: true, effect: CheckEffect.REJECT, threshold: 0.95 } };
    const [w] = selfieWarnings([face(200, 0.9)], { kind: 'SELFIE', checks: strict });
    expect(w).toMatchObject({ code: 'RECAPTURED_FACE', params: { value: 0.9, threshold: 0.95 } });
  });

  it('document portrait must be found and measurable', () => {
    expect(codes(portraitWarnings([]))).toEqual(['DOCUMENT_FACE_NOT_FOUND']);
    expect(codes(portraitWarnings([face(25)]))).toEqual(['FACE_TOO_SMALL']);
    expect(portraitWarnings([face(80)])).toEqual([]);
  });

  it('selfie ↔ portrait: mismatch under the threshold, identical above 0.97, nothing in between', () => {
    const below = Math.acos(FACE_MATCH_THRESHOLD - 0.1);
    const [mismatch] = matchWarnings(unit(0), unit(below), {});
    expect(mismatch).toMatchObject({ code: 'FACE_MISMATCH', params: { threshold: FACE_MATCH_THRESHOLD } });
    expect(mismatch!.params!.value).toBeCloseTo(FACE_MATCH_THRESHOLD - 0.1, 3);
    expect(matchWarnings(unit(0), unit(Math.acos(0.7)), {})).toEqual([]);
    expect(codes(matchWarnings(unit(0), unit(0.01), {}))).toEqual(['FACE_IDENTICAL']);
  });

  it('selfie with document: the held portrait must be there, measurable and the applicant', () => {
    const held = (angle: number): Face => ({ ...face(60), embedding: unit(angle) });
    expect(heldDocumentWarnings([face(200)], {})).toEqual([expect.objectContaining({ code: 'DOCUMENT_FACE_NOT_FOUND', params: { on: 'held document' } })]);
    expect(codes(heldDocumentWarnings([face(200), face(20)], {}))).toEqual(['FACE_TOO_SMALL']);
    expect(heldDocumentWarnings([face(200), held(Math.acos(0.1))], {})).toEqual([expect.objectContaining({ code: 'FACE_MISMATCH', params: expect.objectContaining({ on: 'held document' }) })]);
    expect(heldDocumentWarnings([face(200), held(Math.acos(0.8))], {})).toEqual([]);
  });

  it('different people across steps of one session', () => {
    expect(codes(sameSessionWarnings(unit(0), unit(Math.acos(0.1)), {}))).toEqual(['DIFFERENT_FACES_IN_SESSION']);
    expect(sameSessionWarnings(unit(0), unit(Math.acos(0.8)), {})).toEqual([]);
  });
});
