import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entities } from '../../domain/database/entities.js';
import type { BusEvent } from '../../domain/events/event.types.js';
import { Capture } from '../../domain/sessions/capture.entity.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';
import { postGraphQL, type TestNode } from '../support/test-node.js';
import { testDrivers } from '../support/test-database.js';
import { PASSPORT, documentPhoto, holderSelfie } from '../verification/verification-fixtures.js';
import { startVerificationNode, type VerificationTenant } from '../verification/verification-harness.js';

type Body = { data?: any; errors?: { message: string; extensions: Record<string, unknown> }[] };

// Issue 20, "Links, erasure and images": deleteSession leaves nothing of the applicant in any query, search, table or
// blob, keeps a tombstone with the image hashes, and is audited and announced.
describe.each(testDrivers('session erasure'))('session erasure on %s', (driver) => {
  let node: TestNode;
  let newTenant: () => Promise<VerificationTenant>;
  beforeAll(async () => {
    ({ node, tenant: newTenant } = await startVerificationNode(driver));
  });
  afterAll(() => node?.dispose());

  const gql = async (token: string, query: string): Promise<Body> => (await postGraphQL(node.url, { query }, { authorization: `Bearer ${token}` })).body;

  /** Every row of the tenant in every table, as text: what a backup or a careless query could still show. */
  async function everythingOf(tenantId: string): Promise<string> {
    const em = node.services.db.asSystem();
    const tables = [...em.getMetadata().getAll().values()].filter((m) => entities.some((e) => e.name === m.className)).map((m) => m.tableName).filter((t) => t !== 'tenant');
    const rows = await Promise.all(tables.map((t) => em.execute(`select * from "${t}" where tenant_id = ?`, [tenantId])));
    return JSON.stringify(rows);
  }

  it('erases images, OCR, MRZ, faces and list memberships in one go, keeps a tombstone, audits and announces it', async () => {
    const t = await newTenant();
    const scenarioId = await t.scenario([{ kind: StepKind.DOCUMENT }, { kind: StepKind.SELFIE }], { blockFinalRejections: false });
    const open = (externalUserId: string) => node.services.sessions.create(t.em(), t.tenantId, { scenario: { id: scenarioId }, externalUserId });
    const erased = await open('crm-customer-4711');
    await t.upload(erased.id, 0, await documentPhoto({ identity: PASSPORT, portrait: 2 }));
    const { capture: selfie } = await t.upload(erased.id, 1, await holderSelfie(2));
    const face = await t.faceOf(selfie.id);
    await t.blacklist(face.id);
    const note = `${PASSPORT.surname} looked nervous`;
    expect((await gql(t.token, `mutation { reviewSession(id: "${erased.id}", decision: REJECT, note: "${note}") { id } }`)).errors).toBeUndefined();
    // The same person again, kept: its face search finds the erased session before, not after.
    const kept = await open('crm-customer-4712');
    const { capture: keptSelfie } = await t.upload(kept.id, 1, await holderSelfie(2));
    const keptFace = await t.faceOf(keptSelfie.id);
    const sameFace = `{ sessionsWithSameFace(faceId: "${keptFace.id}") { sessionId } }`;
    expect((await gql(t.token, sameFace)).data.sessionsWithSameFace.map((s: { sessionId: string }) => s.sessionId)).toContain(erased.id);

    const captures = await t.em().find(Capture, { session: erased.id }, { orderBy: { createdAt: 'asc' } });
    expect(captures.map((c) => c.mrz === null)).toContain(false);
    const before = await everythingOf(t.tenantId);
    for (const secret of [PASSPORT.surname, PASSPORT.documentNumber, 'crm-customer-4711', 'looked nervous']) expect(before).toContain(secret);

    const events: BusEvent[] = [];
    const unsubscribe = await node.services.events.subscribe(t.tenantId, (e) => events.push(e));
    const res = await gql(t.token, `mutation { deleteSession(id: "${erased.id}") { sessionId deletedAt faceCount faceListEntryCount captures { id sha256 byteSize } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.deleteSession).toMatchObject({
      sessionId: erased.id,
      faceCount: expect.any(Number),
      faceListEntryCount: 1,
      captures: captures.map((c) => ({ id: c.id, sha256: c.sha256, byteSize: c.byteSize })),
    });
    await expect.poll(() => events.map((e) => e.topic)).toContain('SESSION_DELETED');
    await unsubscribe();

    // Nothing of it in any query or search…
    expect((await gql(t.token, `{ session(id: "${erased.id}") { id } }`)).errors![0]!.extensions.code).toBe('NOT_FOUND');
    expect((await gql(t.token, `{ face(id: "${face.id}") { id } }`)).errors![0]!.extensions.code).toBe('NOT_FOUND');
    expect((await gql(t.token, '{ sessions(first: 100) { edges { node { id } } } }')).data.sessions.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([kept.id]);
    expect((await gql(t.token, sameFace)).data.sessionsWithSameFace).toEqual([]);
    expect((await gql(t.token, '{ faceLists { kind size } }')).data.faceLists).toContainEqual({ kind: 'BLACKLIST', size: 0 });
    const audit = JSON.stringify((await gql(t.token, '{ auditLog(first: 100) { edges { node { action objectId details } } } }')).data);
    expect(audit).toContain('session.delete');
    expect(audit).not.toContain('nervous');
    // …in any table of the tenant (the kept session's own data aside, which is not the erased applicant's)…
    const after = await everythingOf(t.tenantId);
    for (const secret of ['crm-customer-4711', 'looked nervous', ...captures.map((c) => c.blobKey!)]) expect(after).not.toContain(secret);
    expect(after).not.toContain(PASSPORT.documentNumber);
    // …or in the blob store; the tombstone keeps the image hashes.
    for (const c of captures) await expect(node.services.blobs.get(t.tenantId, c.blobKey!)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
    for (const c of captures) expect(after).toContain(c.sha256);
    // Erasing twice is a missing session, not a second tombstone.
    expect((await gql(t.token, `mutation { deleteSession(id: "${erased.id}") { sessionId } }`)).errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'SESSION_NOT_FOUND' });
  });

  it('refuses a token without sessions:delete, an applicant, a malformed id and an unknown one', async () => {
    const t = await newTenant();
    const session = await node.services.sessions.create(t.em(), t.tenantId, { scenario: { id: await t.scenario([{ kind: StepKind.SELFIE }]) } });
    const reader = (await gql(t.token, 'mutation { createApiToken(name: "reader", scopes: ["sessions:read", "sessions:write", "sessions:review"]) { secret } }')).data.createApiToken.secret;
    const applicant = node.services.applicantTokens.sign({ sessionId: session.id, tenantId: t.tenantId, expiresAt: session.frozenAt });
    const del = (token: string, id: string) => gql(token, `mutation { deleteSession(id: "${id}") { sessionId } }`);
    expect((await del(reader, session.id)).errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await del(applicant, session.id)).errors![0]!.extensions.code).toBe('FORBIDDEN');
    for (const bad of ['not-a-uuid', "'; drop table kyc_session; --", '../../etc/passwd']) {
      expect((await del(t.token, bad)).errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    }
    expect((await del(t.token, '00000000-0000-4000-8000-000000000000')).errors![0]!.extensions.code).toBe('NOT_FOUND');
    expect((await gql(t.token, `{ session(id: "${session.id}") { id } }`)).data.session.id).toBe(session.id);
  });

  it('records a retention policy instead of an actor when the lifecycle job erases', async () => {
    const t = await newTenant();
    const session = await node.services.sessions.create(t.em(), t.tenantId, { scenario: { id: await t.scenario([{ kind: StepKind.SELFIE }]) } });
    const tombstone = await node.services.erasure.erase(t.em(), t.tenantId, session.id, { policy: 'dataRetentionDays=30' });
    expect(tombstone).toMatchObject({ id: session.id, policy: 'dataRetentionDays=30', deletedByType: null, captures: [] });
    await expect(node.services.erasure.erase(t.em(), t.tenantId, session.id, { policy: ' ' })).rejects.toMatchObject({ code: 'INVALID_SESSION' });
  });

  it('takes the session’s earlier webhook deliveries with it and announces session.deleted in the same transaction', async () => {
    const t = await newTenant();
    // A public address (IP literal, no DNS): accepted by the SSRF guard; nothing here waits for it to answer.
    const hook = await gql(t.token, 'mutation { createWebhookEndpoint(input: { url: "https://93.184.215.14/hooks", eventTypes: ["session.created", "session.deleted"] }) { endpoint { id } } }');
    expect(hook.errors).toBeUndefined();
    const session = await node.services.sessions.create(t.em(), t.tenantId, { scenario: { id: await t.scenario([{ kind: StepKind.SELFIE }]) }, externalUserId: 'crm-erased-1' });
    const deliveries = async () =>
      (await gql(t.token, `{ webhookDeliveries(filter: { sessionId: "${session.id}" }) { edges { node { eventType payload } } } }`)).data.webhookDeliveries.edges.map(
        (e: { node: { eventType: string; payload: Record<string, unknown> } }) => e.node,
      );
    expect((await deliveries()).map((d: { eventType: string }) => d.eventType)).toEqual(['session.created']);

    expect((await gql(t.token, `mutation { deleteSession(id: "${session.id}") { sessionId } }`)).errors).toBeUndefined();
    const left = await deliveries();
    expect(left.map((d: { eventType: string }) => d.eventType)).toEqual(['session.deleted']);
    expect(JSON.stringify(left[0].payload)).toContain(session.id);
  });
});
