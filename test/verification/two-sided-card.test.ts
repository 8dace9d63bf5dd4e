import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photographDocument, renderDocument } from '../../inference/documents/testing/document-generator.js';
import { ICAO_TD1_SPECIMEN, type DocumentIdentity } from '../../inference/documents/testing/mrz-builder.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';
import type { TestNode } from '../support/test-node.js';
import { testDrivers } from '../support/test-database.js';
import { holderSelfie } from './verification-fixtures.js';
import { codes, decisionOf, startVerificationNode, type VerificationTenant } from './verification-harness.js';

const { DOCUMENT, SELFIE } = StepKind;

/** The ICAO 9303 specimen ID card holder, with a card valid until 2034. */
const CARD: DocumentIdentity = { ...ICAO_TD1_SPECIMEN, expiryDate: '340415' };

/**
 * One side of a generated ID card, photographed on a desk: the front (portrait and printed fields, a card access
 * number, no MRZ) or the back (issuer text and the TD1 MRZ), as ICAO 9303 part 5 lays out most cards.
 */
async function cardSide(side: 'front' | 'back', identity = CARD, extra: { portrait?: number; printed?: Partial<DocumentIdentity> } = {}): Promise<Buffer> {
  const rendered = await renderDocument({ format: 'TD1', identity, side, portrait: extra.portrait ?? 0, printed: extra.printed });
  return (await photographDocument(rendered, { seed: 5 })).image;
}

// Issue 11 with the two-sided cards of issue 4: a DOCUMENT step takes an ID card as two captures, front and back, in
// either order; real generated images through the engine, on both database drivers.
describe.each(testDrivers('two-sided ID cards'))('two-sided ID cards on %s', (driver) => {
  let node: TestNode;
  let newTenant: () => Promise<VerificationTenant>;
  let t: VerificationTenant;
  beforeAll(async () => {
    ({ node, tenant: newTenant } = await startVerificationNode(driver));
  });
  afterAll(() => node?.dispose());

  async function documentAndSelfie(): Promise<string> {
    t = await newTenant();
    return t.session(await t.scenario([{ kind: DOCUMENT }, { kind: SELFIE }]));
  }

  it('front then back: the step waits for the back, then passes with the MRZ identity; the selfie matches the front', async () => {
    const sessionId = await documentAndSelfie();
    const front = await t.upload(sessionId, 0, await cardSide('front'));
    expect(front.capture).toMatchObject({ documentType: 'ID_CARD', mrz: null });
    expect(codes(front.step.warnings)).toEqual(['DOCUMENT_BACK_MISSING']);
    expect(front.step.status).toBe('PENDING');
    expect(front.session).toMatchObject({ status: 'IN_PROGRESS', criticalErrorCount: 0 });

    const back = await t.upload(sessionId, 0, await cardSide('back'));
    expect(back.capture).toMatchObject({ documentType: 'ID_CARD', documentCountry: 'UTO', mrz: { format: 'TD1', valid: true } });
    expect(back.capture.warnings).toEqual([]);
    expect(back.step.warnings).toEqual([]);
    expect(back.step.status).toBe('PASSED');
    expect(back.session.identity).toMatchObject({ surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '1974-08-12', documentNumber: 'D23145890', documentType: 'ID_CARD', issuingCountry: 'UTO' });
    expect(back.session.status).toBe('IN_PROGRESS');

    const done = await t.upload(sessionId, 1, await holderSelfie(0));
    expect(done.session.warnings).toEqual([]);
    expect(decisionOf(done.session)).toEqual({ status: 'SUCCESS', reviewAnswer: 'GREEN', rejectType: null, rejectLabels: [] });
  });

  it("back then front: no DOCUMENT_FACE_NOT_FOUND on the back, the MRZ's identity stays, and the front's portrait is the one matched", async () => {
    const sessionId = await documentAndSelfie();
    const back = await t.upload(sessionId, 0, await cardSide('back'));
    expect(codes(back.capture.warnings)).toEqual([]);
    expect(codes(back.step.warnings)).toEqual(['DOCUMENT_FRONT_MISSING']);
    expect(back.step.status).toBe('PENDING');

    const front = await t.upload(sessionId, 0, await cardSide('front'));
    expect(front.step.warnings).toEqual([]);
    expect(front.step.status).toBe('PASSED');
    expect(front.session.identity).toMatchObject({ surname: 'ERIKSSON', documentNumber: 'D23145890', issuingCountry: 'UTO', expiryDate: '2034-04-15' });

    // Someone else's selfie: the front (uploaded last here) supplies the portrait it is compared with.
    const done = await t.upload(sessionId, 1, await holderSelfie(1));
    expect(done.session.warnings).toEqual([expect.objectContaining({ code: 'FACE_MISMATCH', params: expect.objectContaining({ steps: '1,0' }) })]);
    expect(decisionOf(done.session)).toEqual({ status: 'FAILED', reviewAnswer: 'RED', rejectType: 'RETRY', rejectLabels: ['BAD_FACE_MATCHING'] });
  });

  it('back only: the step waits (no critical error, nothing decided); submitted so, it fails with DOCUMENT_FRONT_MISSING (RETRY)', async () => {
    t = await newTenant();
    const sessionId = await t.session(await t.scenario([{ kind: DOCUMENT }]));
    const back = await t.upload(sessionId, 0, await cardSide('back'));
    expect(codes(back.step.warnings)).toEqual(['DOCUMENT_FRONT_MISSING']);
    expect(back.step.status).toBe('PENDING');
    expect(back.session).toMatchObject({ status: 'IN_PROGRESS', criticalErrorCount: 0 });
    const submitted = await t.submit(sessionId);
    expect(decisionOf(submitted)).toEqual({ status: 'FAILED', reviewAnswer: 'RED', rejectType: 'RETRY', rejectLabels: ['INCOMPLETE_DOCUMENT'] });
    expect((await t.read(sessionId)).steps[0]).toMatchObject({ status: 'FAILED' });
  });

  it('two different cards (the front of one, the back of another): DIFFERENT_DOCUMENTS_IN_STEP, SUSPICIOUS, FINAL', async () => {
    t = await newTenant();
    const sessionId = await t.session(await t.scenario([{ kind: DOCUMENT }]));
    await t.upload(sessionId, 0, await cardSide('front'));
    const other = { ...CARD, surname: 'MUELLER', givenNames: 'JOHN', documentNumber: 'D87613420', birthDate: '800101' };
    const back = await t.upload(sessionId, 0, await cardSide('back', other, { portrait: 1 }));
    // Two cards are not cross-checked as one: no name or birth-date mismatch, the two documents are the finding.
    expect(codes(back.step.warnings)).toEqual(['DIFFERENT_DOCUMENTS_IN_STEP']);
    expect(back.step.status).toBe('SUSPICIOUS');
    expect(decisionOf(back.session)).toEqual({ status: 'SUSPICIOUS', reviewAnswer: 'RED', rejectType: 'FINAL', rejectLabels: ['INCONSISTENT_PROFILE'] });
  });

  it("a front whose printed name and birth date differ from the back's MRZ: DOCUMENT_NAME_MISMATCH and DOCUMENT_DOB_MISMATCH, one card", async () => {
    t = await newTenant();
    const sessionId = await t.session(await t.scenario([{ kind: DOCUMENT }]));
    await t.upload(sessionId, 0, await cardSide('back'));
    const front = await t.upload(sessionId, 0, await cardSide('front', CARD, { printed: { surname: 'JOHANSSON', birthDate: '790305' } }));
    expect(front.step.warnings).toEqual([
      expect.objectContaining({ code: 'DOCUMENT_NAME_MISMATCH', severity: 'HIGH', params: expect.objectContaining({ fields: 'surname', mrz: 'ERIKSSON', printed: 'JOHANSSON', on: 'front' }) }),
      expect.objectContaining({ code: 'DOCUMENT_DOB_MISMATCH', params: expect.objectContaining({ mrz: '1974-08-12', on: 'front' }) }),
    ]);
    expect(front.step.status).toBe('SUSPICIOUS');
    expect(front.session.identity).toMatchObject({ surname: 'ERIKSSON', birthDate: '1974-08-12' });
    expect(decisionOf(front.session)).toEqual({ status: 'SUSPICIOUS', reviewAnswer: 'RED', rejectType: 'RETRY', rejectLabels: ['PROBLEMATIC_APPLICANT_DATA'] });
  });
});
