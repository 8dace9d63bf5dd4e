import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorType, AuditEntry } from '../../domain/audit/audit-entry.entity.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';
import { RejectType } from '../../domain/sessions/session-status.js';
import { postGraphQL, type TestNode } from '../support/test-node.js';
import { testDrivers } from '../support/test-database.js';
import { demoSelfie, holderSelfie } from './verification-fixtures.js';
import { codes, decisionOf, startVerificationNode, type VerificationTenant } from './verification-harness.js';

const OPERATOR = { type: ActorType.USER, id: null };

// Issue 20 "FINAL means final" (reference 003): a FINAL rejection blocks the applicant by external id and by face,
// until an operator approves the rejected session.
describe.each(testDrivers('FINAL rejections'))('FINAL rejections on %s', (driver) => {
  let node: TestNode;
  let newTenant: () => Promise<VerificationTenant>;
  beforeAll(async () => {
    ({ node, tenant: newTenant } = await startVerificationNode(driver));
  });
  afterAll(() => node?.dispose());

  const open = (t: VerificationTenant, scenarioId: string, externalUserId: string) =>
    node.services.sessions.create(t.em(), t.tenantId, { scenario: { id: scenarioId }, externalUserId });
  const reject = (t: VerificationTenant, sessionId: string, rejectType: RejectType) =>
    node.services.sessions.review(t.em(), { tenantId: t.tenantId, sessionId, approve: false, note: 'fraud', rejectType, rejectLabels: ['FORGERY'], actor: OPERATOR });

  it('refuses a new session of a finally rejected externalUserId, flags the same face, and lifts both on approval', async () => {
    const t = await newTenant();
    const scenarioId = await t.scenario([{ kind: StepKind.SELFIE }]);
    const first = await open(t, scenarioId, 'applicant-1');
    expect((await t.upload(first.id, 0, await holderSelfie(2))).session.status).toBe('SUCCESS');
    await reject(t, first.id, RejectType.FINAL);

    await expect(open(t, scenarioId, 'applicant-1')).rejects.toMatchObject({ code: 'APPLICANT_BLOCKED', details: { sessionId: first.id } });
    const viaApi = await postGraphQL(node.url, { query: `mutation { createSession(input: { scenarioId: "${scenarioId}", externalUserId: "applicant-1" }) { applicantToken } }` }, { authorization: `Bearer ${t.token}` });
    expect(viaApi.body.errors[0].extensions).toEqual({ code: 'APPLICANT_BLOCKED', reason: 'APPLICANT_BLOCKED', sessionId: first.id });
    expect(viaApi.body.errors[0].message).not.toContain('applicant-1');

    // Another account, the same face (the unmirrored photo): flagged with the earlier session, SUSPICIOUS and FINAL.
    const alias = await open(t, scenarioId, 'applicant-2');
    const res = await t.upload(alias.id, 0, await demoSelfie(2));
    expect(res.session.warnings).toEqual([expect.objectContaining({ code: 'FINAL_REJECTED_FACE', severity: 'HIGH', params: expect.objectContaining({ sessionId: first.id, threshold: 0.6 }) })]);
    expect(decisionOf(res.session)).toEqual({ status: 'SUSPICIOUS', reviewAnswer: 'RED', rejectType: 'FINAL', rejectLabels: ['BLOCKLIST'] });

    // An operator's approval lifts the block, and the audit log says so.
    await node.services.sessions.review(t.em(), { tenantId: t.tenantId, sessionId: first.id, approve: true, note: 'documents checked by hand', actor: OPERATOR });
    expect((await open(t, scenarioId, 'applicant-1')).externalUserId).toBe('applicant-1');
    const audit = await t.em().find(AuditEntry, { objectId: first.id, action: 'session.review' }, { orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => a.details.liftsFinalRejection ?? false)).toEqual([false, true]);
    // The alias's own FINAL rejection still holds until it is reviewed too; a new face search no longer names `first`.
    const later = await open(t, scenarioId, 'applicant-3');
    const again = await t.upload(later.id, 0, await demoSelfie(2));
    expect(again.session.warnings).toEqual([expect.objectContaining({ code: 'FINAL_REJECTED_FACE', params: expect.objectContaining({ sessionId: alias.id }) })]);
  });

  it('blocks nothing for a RETRY rejection or a scenario that turns FINAL blocks off', async () => {
    const t = await newTenant();
    const scenarioId = await t.scenario([{ kind: StepKind.SELFIE }]);
    const lenientId = await t.scenario([{ kind: StepKind.SELFIE }], { blockFinalRejections: false });
    const retried = await open(t, scenarioId, 'applicant-r');
    await t.upload(retried.id, 0, await holderSelfie(2));
    await reject(t, retried.id, RejectType.RETRY);
    expect((await open(t, scenarioId, 'applicant-r')).id).not.toBe(retried.id);

    await reject(t, retried.id, RejectType.FINAL);
    await expect(open(t, scenarioId, 'applicant-r')).rejects.toMatchObject({ code: 'APPLICANT_BLOCKED' });
    const lenient = await open(t, lenientId, 'applicant-r');
    const res = await t.upload(lenient.id, 0, await demoSelfie(2));
    expect(codes(res.session.warnings)).toEqual([]);
    expect(res.session.status).toBe('SUCCESS');
  });
});
