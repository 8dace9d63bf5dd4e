import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorType, AuditEntry } from '../../domain/audit/audit-entry.entity.js';
import { FACE_EMBEDDING_DIMENSIONS } from '../../domain/database/embedding.js';
import { FaceListEntry } from '../../domain/face-lists/face-list-entry.entity.js';
import { FaceList, FaceListKind } from '../../domain/face-lists/face-list.entity.js';
import { Face } from '../../domain/faces/face.entity.js';
import { KycLink, KycLinkStatus } from '../../domain/kyc-links/kyc-link.entity.js';
import { SavedReport } from '../../domain/reports/saved-report.entity.js';
import { CheckEffect, type ScenarioSettings } from '../../domain/scenarios/scenario-settings.js';
import { ScenarioStep, StepKind } from '../../domain/scenarios/scenario-step.entity.js';
import { ScenarioVersion } from '../../domain/scenarios/scenario-version.entity.js';
import { Scenario } from '../../domain/scenarios/scenario.entity.js';
import { Capture } from '../../domain/sessions/capture.entity.js';
import { SessionStep } from '../../domain/sessions/session-step.entity.js';
import { SessionStatus, StepStatus } from '../../domain/sessions/session-status.js';
import { Session } from '../../domain/sessions/session.entity.js';
import { ApiToken } from '../../domain/tokens/api-token.entity.js';
import { User } from '../../domain/users/user.entity.js';
import { WarningSeverity } from '../../domain/warnings/warning.js';
import { WebhookDelivery } from '../../domain/webhooks/webhook-delivery.entity.js';
import { Tenant } from '../../domain/tenants/tenant.entity.js';
import { seedTenant } from '../support/seed.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';

const settings: ScenarioSettings = {
  redirectUrl: 'https://example.test/done',
  customerFaceListId: null,
  blacklistFaceListId: null,
  criticalErrorsBeforeBlock: 3,
  dataRetentionDays: 0,
  imageRetentionDays: 183,
  sessionLifetimeMinutes: 60,
  blockDifferentDocumentsInStep: true,
  blockSamePersonWithDifferentData: true,
  allowedAge: { min: 18, max: null },
  callback: { url: 'https://example.test/hook', encryptBody: false, noPersonalData: true, finalStatusOnly: false },
  checks: { FACE_MISMATCH: { enabled: true, effect: CheckEffect.REJECT, threshold: 0.4 } },
};

/** A unit vector with a 1 at `index`: distances between such vectors are known exactly. */
function basis(index: number): number[] {
  const v = new Array<number>(FACE_EMBEDDING_DIMENSIONS).fill(0);
  v[index] = 1;
  return v;
}

describe.each(testDrivers('entity round trip'))('every entity on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(() => t?.dispose());

  it('writes and reads back one of each entity, relations included, as the tenant role', async () => {
    const { tenant, owner } = await seedTenant(t.db);
    const em = t.db.forTenant(tenant.id);

    const scenario = em.create(Scenario, { tenant: tenant.id, schemaId: `sch_${randomUUID()}`, name: 'KYC', callbackSecret: 'x'.repeat(64) });
    const version = em.create(ScenarioVersion, { tenant: tenant.id, scenario, version: 1, settings });
    em.create(ScenarioStep, { tenant: tenant.id, scenarioVersion: version, position: 0, kind: StepKind.DOCUMENT, documentTypes: ['PASSPORT'], countries: ['DEU'] });
    em.create(ScenarioStep, { tenant: tenant.id, scenarioVersion: version, position: 1, kind: StepKind.SELFIE });
    const link = em.create(KycLink, { tenant: tenant.id, scenario, batchId: randomUUID(), tokenHash: 'a'.repeat(64), expiresAt: new Date(Date.now() + 3_600_000) });
    const session = em.create(Session, {
      tenant: tenant.id,
      scenario,
      scenarioVersion: version,
      externalUserId: 'customer-42',
      frozenAt: new Date(Date.now() + 3_600_000),
      identity: { surname: 'MUSTERMANN', givenNames: 'ERIKA', birthDate: '1964-08-12' },
      warnings: [{ code: 'DOCUMENT_EXPIRED', severity: WarningSeverity.HIGH, confidence: 1, message: 'expired', params: { expiry: '2020-01-01' } }],
    });
    const step = em.create(SessionStep, { tenant: tenant.id, session, position: 0, kind: StepKind.DOCUMENT, status: StepStatus.PASSED });
    const capture = em.create(Capture, {
      tenant: tenant.id,
      session,
      step,
      blobKey: `${tenant.id}/${randomUUID()}`,
      sha256: 'b'.repeat(64),
      byteSize: 1234,
      image: { format: 'jpeg', width: 1200, height: 800 },
      documentType: 'PASSPORT',
      documentCountry: 'DEU',
      ocrFields: [{ title: 'surname', value: 'MUSTERMANN', confidence: 0.98, isMismatch: false, isUnreadable: false, isEdited: false, imageIndex: 0 }],
      mrz: { format: 'TD3', lines: ['P<D<<MUSTERMANN<<ERIKA', 'C01X00T478D<<6408125F2702283<<<<<<<4'], fields: { surname: 'MUSTERMANN' }, checks: [{ name: 'birthDate', valid: true, digit: '5', expected: '5' }], valid: true },
    });
    const face = em.create(Face, { tenant: tenant.id, session, capture, box: { x: 1, y: 2, width: 100, height: 120 }, landmarks: [[10, 20]], embedding: basis(0), detectorScore: 0.99, size: 100, age: 31.5, gender: 'female', livenessScore: 0.97 });
    const list = em.create(FaceList, { tenant: tenant.id, name: 'Blacklist', kind: FaceListKind.BLACKLIST });
    em.create(FaceListEntry, { tenant: tenant.id, list, face, reason: 'fraud', addedBy: owner.id });
    em.create(WebhookDelivery, { tenant: tenant.id, sessionId: session.id, event: 'session.decided', url: 'https://example.test/hook', payload: { status: 'SUCCESS' }, signature: 'sig', nextAttemptAt: new Date() });
    em.create(SavedReport, { tenant: tenant.id, name: 'Failed this week', owner: owner.id, filters: { statuses: ['FAILED'] }, columns: ['id', 'status'] });
    em.create(AuditEntry, { tenant: tenant.id, actorType: ActorType.USER, actorId: owner.id, action: 'facelist.add', objectType: 'Face', objectId: face.id, details: { reason: 'fraud' } });
    await em.flush();

    const read = t.db.forTenant(tenant.id);
    const s = await read.findOneOrFail(Session, session.id, { populate: ['steps.captures', 'scenarioVersion.steps'] });
    expect(s.status).toBe(SessionStatus.IN_PROGRESS);
    expect(s.identity).toEqual({ surname: 'MUSTERMANN', givenNames: 'ERIKA', birthDate: '1964-08-12' });
    expect(s.warnings[0]).toMatchObject({ code: 'DOCUMENT_EXPIRED', severity: 'HIGH', params: { expiry: '2020-01-01' } });
    expect(s.scenarioVersion.getEntity().settings).toEqual(settings);
    expect(s.scenarioVersion.getEntity().steps.getItems().map((x) => x.kind)).toEqual([StepKind.DOCUMENT, StepKind.SELFIE]);
    const c = s.steps.getItems()[0]!.captures.getItems()[0]!;
    expect(c.ocrFields[0]!.value).toBe('MUSTERMANN');
    expect(c.mrz?.checks).toEqual([{ name: 'birthDate', valid: true, digit: '5', expected: '5' }]);
    expect(c.image).toEqual({ format: 'jpeg', width: 1200, height: 800 });

    const f = await read.findOneOrFail(Face, face.id);
    expect(f.embedding).toHaveLength(FACE_EMBEDDING_DIMENSIONS);
    expect(f.embedding![0]).toBe(1);
    expect(f.box).toEqual({ x: 1, y: 2, width: 100, height: 120 });

    const entry = await read.findOneOrFail(FaceListEntry, { face: face.id }, { populate: ['list', 'addedBy'] });
    expect(entry.list.getEntity().kind).toBe(FaceListKind.BLACKLIST);
    expect(entry.addedBy?.getEntity().email).toBe(owner.email);
    expect((await read.findOneOrFail(KycLink, link.id)).status).toBe(KycLinkStatus.CREATED);
    expect((await read.findOneOrFail(WebhookDelivery, { sessionId: session.id })).payload).toEqual({ status: 'SUCCESS' });
    expect((await read.findOneOrFail(SavedReport, { name: 'Failed this week' })).filters).toEqual({ statuses: ['FAILED'] });
    expect((await read.findOneOrFail(AuditEntry, { objectId: face.id })).action).toBe('facelist.add');
    expect(await read.count(ApiToken, {})).toBe(1);
    expect((await read.findOneOrFail(User, owner.id)).role).toBe('OWNER');
    expect((await read.findOneOrFail(Tenant, tenant.id)).slug).toBe(tenant.slug);
  });

  it('finds the nearest faces by cosine distance on the vector column, inside the tenant', async () => {
    const { tenant } = await seedTenant(t.db, 'vectors');
    const em = t.db.forTenant(tenant.id);
    const scenario = em.create(Scenario, { tenant: tenant.id, schemaId: `sch_${randomUUID()}`, name: 'v', callbackSecret: 'x'.repeat(64) });
    const version = em.create(ScenarioVersion, { tenant: tenant.id, scenario, version: 1, settings });
    const session = em.create(Session, { tenant: tenant.id, scenario, scenarioVersion: version, frozenAt: new Date() });
    const step = em.create(SessionStep, { tenant: tenant.id, session, position: 0, kind: StepKind.SELFIE });
    const capture = em.create(Capture, { tenant: tenant.id, session, step, sha256: 'c'.repeat(64), byteSize: 1, image: { format: 'png', width: 1, height: 1 } });
    // Face i points mostly along axis i, a little along axis i+1: the query along axis 3 must rank 3, then 2.
    const faces = Array.from({ length: 8 }, (_, i) => {
      const v = basis(i).map((x, j) => (j === i + 1 ? 0.3 : x));
      const norm = Math.hypot(...v);
      return em.create(Face, { tenant: tenant.id, session, capture, box: { x: 0, y: 0, width: 50, height: 50 }, landmarks: [], embedding: v.map((x) => x / norm), detectorScore: 0.9, size: 50 });
    });
    await em.flush();

    const rows = await t.db.forTenant(tenant.id).execute<{ id: string; distance: number }[]>(
      `select id, embedding <=> ?::vector as distance from face order by embedding <=> ?::vector limit 3`,
      [`[${basis(3).join(',')}]`, `[${basis(3).join(',')}]`],
    );
    expect(rows.map((r) => r.id)).toEqual([faces[3]!.id, faces[2]!.id, expect.any(String)]);
    expect(Number(rows[0]!.distance)).toBeCloseTo(1 - 1 / Math.hypot(1, 0.3), 5);
  });
});
