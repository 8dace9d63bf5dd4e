import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../domain/audit/audit-entry.entity.js';
import { BlobStore } from '../../domain/blobs/blob-store.js';
import { pino } from 'pino';
import { SessionErasureService } from '../../domain/erasure/session-erasure.service.js';
import { SessionTombstone } from '../../domain/erasure/session-tombstone.entity.js';
import { InProcessBus } from '../../domain/events/in-process.bus.js';
import { AdvisoryRunLock, InProcessRunLock, type RunLock } from '../../domain/retention/run-lock.js';
import { RETENTION_LOCK_KEY, RetentionService } from '../../domain/retention/retention.service.js';
import { ScenarioService } from '../../domain/scenarios/scenario.service.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';
import { Capture } from '../../domain/sessions/capture.entity.js';
import { Session } from '../../domain/sessions/session.entity.js';
import { SessionService } from '../../domain/sessions/session.service.js';
import { SessionStatus } from '../../domain/sessions/session-status.js';
import { seedTenant } from '../support/seed.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';

const DAY = 24 * 60 * 60_000;
const NOW = new Date('2026-12-03T12:00:00Z');

describe.each(testDrivers('retention'))('retention on %s', (driver) => {
  let t: TestDatabase;
  let blobDir: string;
  let blobs: BlobStore;
  let sessions: SessionService;
  const scenarios = new ScenarioService();
  const lockFor = (): RunLock => (driver === 'postgresql' ? new AdvisoryRunLock(t.url!, RETENTION_LOCK_KEY) : sharedLock);
  const sharedLock = new InProcessRunLock();
  const bus = new InProcessBus();
  const retention = (store: BlobStore = blobs, batchSize = 200) =>
    new RetentionService(t.db, store, sessions, new SessionErasureService(store, bus, pino({ level: 'silent' })), lockFor(), { batchSize });

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    blobDir = await mkdtemp(join(tmpdir(), 'idgraph-retention-'));
    blobs = new BlobStore(blobDir, randomBytes(32));
    sessions = new SessionService(t.db, scenarios, bus);
  });
  afterAll(async () => {
    await t?.dispose();
    await rm(blobDir, { recursive: true, force: true });
  });

  /** A tenant with a scenario keeping images `imageRetentionDays` (unset: the default) and data `dataRetentionDays`, one step per session. */
  async function tenantWith(imageRetentionDays?: number, dataRetentionDays?: number) {
    const { tenant } = await seedTenant(t.db);
    const em = t.db.forTenant(tenant.id);
    const { scenario } = await scenarios.create(em, tenant.id, {
      name: 'selfie',
      settings: { sessionLifetimeMinutes: 60, ...(imageRetentionDays === undefined ? {} : { imageRetentionDays }), ...(dataRetentionDays === undefined ? {} : { dataRetentionDays }) },
      steps: [{ kind: StepKind.SELFIE }],
    });
    return { tenantId: tenant.id, scenarioId: scenario.id };
  }

  /** A session started `ageDays` ago with one stored capture image of that age; answers the capture's id and blob key. */
  async function captureAged(owner: { tenantId: string; scenarioId: string }, ageDays: number, startedAt = new Date(NOW.getTime() - ageDays * DAY)) {
    const em = t.db.forTenant(owner.tenantId);
    const session = await sessions.create(em, owner.tenantId, { scenario: { id: owner.scenarioId } }, startedAt);
    const image = randomBytes(64);
    const blobKey = await blobs.put(owner.tenantId, image);
    const step = (await em.findOneOrFail(Session, session.id, { populate: ['steps'] })).steps.getItems()[0]!;
    const capture = em.create(Capture, {
      tenant: owner.tenantId,
      session,
      step,
      blobKey,
      sha256: '0'.repeat(64),
      byteSize: image.length,
      image: { format: 'jpeg', width: 8, height: 8 },
      documentType: null,
      documentCountry: null,
      mrz: null,
      createdAt: new Date(NOW.getTime() - ageDays * DAY),
      imagePurgedAt: null,
    });
    await em.flush();
    return { id: capture.id, blobKey, tenantId: owner.tenantId, sessionId: session.id };
  }

  async function stored(capture: { id: string; blobKey: string; tenantId: string }) {
    const row = await t.db.forTenant(capture.tenantId).findOneOrFail(Capture, capture.id);
    const blob = await blobs.get(capture.tenantId, capture.blobKey).then(() => true, () => false);
    return { blobKey: row.blobKey, purged: row.imagePurgedAt !== null, blob };
  }

  async function auditOf(tenantId: string) {
    return t.db.forTenant(tenantId).find(AuditEntry, { action: 'retention.run' }, { orderBy: { createdAt: 'asc' } });
  }

  it('deletes exactly the images past their scenario retention, expires abandoned sessions, audits each tenant once per run, and is idempotent', async () => {
    const short = await tenantWith(10);
    const standard = await tenantWith();
    const old = await captureAged(short, 11);
    const young = await captureAged(short, 9);
    const halfYear = await captureAged(standard, 180);
    const pastHalfYear = await captureAged(standard, 184);
    const open = await sessions.create(t.db.forTenant(standard.tenantId), standard.tenantId, { scenario: { id: standard.scenarioId } }, NOW);

    const first = await retention().run(NOW);
    expect(first).toMatchObject({ imagesDeleted: 2, sessionsExpired: 4, tenants: 2, interrupted: false });
    expect(await stored(old)).toEqual({ blobKey: null, purged: true, blob: false });
    expect(await stored(pastHalfYear)).toEqual({ blobKey: null, purged: true, blob: false });
    expect(await stored(young)).toEqual({ blobKey: young.blobKey, purged: false, blob: true });
    expect(await stored(halfYear)).toEqual({ blobKey: halfYear.blobKey, purged: false, blob: true });
    expect((await t.db.forTenant(standard.tenantId).findOneOrFail(Session, open.id)).status).toBe(SessionStatus.IN_PROGRESS);

    const [shortAudit] = await auditOf(short.tenantId);
    expect(shortAudit).toMatchObject({ actorType: 'SYSTEM', objectType: 'RetentionRun', objectId: (first as { runId: string }).runId });
    expect(shortAudit!.details).toMatchObject({ imagesDeleted: 1, sessionsExpired: 2, sessionsIdled: 0 });
    expect((await auditOf(standard.tenantId))[0]!.details).toMatchObject({ imagesDeleted: 1, sessionsExpired: 2 });

    const second = await retention().run(NOW);
    expect(second).toMatchObject({ imagesDeleted: 0, sessionsExpired: 0, tenants: 0 });
    expect(await auditOf(short.tenantId)).toHaveLength(1);
    expect(await stored(young)).toEqual({ blobKey: young.blobKey, purged: false, blob: true });

    // Two days later the young image's time has come, and only that; the session opened today has expired by then.
    const later = await retention().run(new Date(NOW.getTime() + 2 * DAY));
    expect(later).toMatchObject({ imagesDeleted: 1, sessionsExpired: 1, tenants: 2 });
    expect((await t.db.forTenant(standard.tenantId).findOneOrFail(Session, open.id)).status).toBe(SessionStatus.EXPIRED);
    expect(await stored(young)).toMatchObject({ blobKey: null, blob: false });
    expect(await stored(halfYear)).toMatchObject({ blob: true });
  });

  it('finishes on the next run what a run stopped halfway began: by its signal between batches, or by a failure inside one', async () => {
    const owner = await tenantWith(10);
    const captures = [];
    for (let i = 0; i < 7; i += 1) captures.push(await captureAged(owner, 20 + i));

    // A signal raised during the first batch stops the run after it commits.
    const stop = new AbortController();
    const stopping = Object.assign(Object.create(blobs) as BlobStore, {
      delete: async (tenantId: string, key: string) => {
        stop.abort();
        await blobs.delete(tenantId, key);
      },
    });
    const stopped = await retention(stopping, 2).run(NOW, stop.signal);
    expect(stopped).toMatchObject({ imagesDeleted: 2, interrupted: true });

    // A failure in the middle of a batch (the third file of the next): its files may be gone, its rows roll back.
    let calls = 0;
    const failing = Object.assign(Object.create(blobs) as BlobStore, {
      delete: async (tenantId: string, key: string) => {
        calls += 1;
        if (calls === 4) throw new Error('disk unplugged');
        await blobs.delete(tenantId, key);
      },
    });
    await expect(retention(failing, 3).run(NOW)).rejects.toThrow('disk unplugged');
    const states = await Promise.all(captures.map(stored));
    expect(states.filter((s) => s.purged)).toHaveLength(5);

    const resumed = await retention(blobs, 2).run(NOW);
    expect(resumed).toMatchObject({ imagesDeleted: 2, interrupted: false });
    for (const capture of captures) expect(await stored(capture)).toEqual({ blobKey: null, purged: true, blob: false });
    const audits = await auditOf(owner.tenantId);
    expect(audits.reduce((sum, a) => sum + (a.details.imagesDeleted as number), 0)).toBe(7);
  });

  it('runs once when two nodes start it together; the other skips', async () => {
    const owner = await tenantWith(10);
    await captureAged(owner, 30);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const slow = Object.assign(Object.create(blobs) as BlobStore, {
      delete: async (tenantId: string, key: string) => {
        entered();
        await held;
        await blobs.delete(tenantId, key);
      },
    });
    const first = retention(slow).run(NOW);
    await inside;
    expect(await retention().run(NOW)).toBe('skipped');
    release();
    expect(await first).toMatchObject({ imagesDeleted: 1 });
    expect(await auditOf(owner.tenantId)).toHaveLength(1);
  });

  it('erases the sessions ended longer ago than their scenario data retention, through the erasure path, and only those', async () => {
    const keeping = await tenantWith(10, 30);
    const forever = await tenantWith(10);
    const endedAgo = async (owner: { tenantId: string; scenarioId: string }, days: number) => {
      const capture = await captureAged(owner, days);
      await t.db.asSystem().execute('update kyc_session set status = ?, finished_at = ? where id = ?', [SessionStatus.SUCCESS, new Date(NOW.getTime() - days * DAY), capture.sessionId]);
      return capture;
    };
    const old = await endedAgo(keeping, 31);
    const recent = await endedAgo(keeping, 29);
    const keptForever = await endedAgo(forever, 400);

    const first = await retention().run(NOW);
    expect(first).toMatchObject({ sessionsErased: 1, interrupted: false });
    const em = t.db.forTenant(keeping.tenantId);
    expect(await em.findOne(Session, old.sessionId)).toBeNull();
    expect(await blobs.get(old.tenantId, old.blobKey).then(() => true, () => false)).toBe(false);
    expect(await em.findOneOrFail(SessionTombstone, old.sessionId)).toMatchObject({ policy: 'dataRetentionDays=30', deletedByType: null });
    expect(await em.findOne(Session, recent.sessionId)).not.toBeNull();
    expect(await t.db.forTenant(forever.tenantId).findOne(Session, keptForever.sessionId)).not.toBeNull();
    expect((await auditOf(keeping.tenantId))[0]!.details).toMatchObject({ sessionsErased: 1 });

    expect(await retention().run(NOW)).toMatchObject({ sessionsErased: 0 });
    // Two days later the recent one's time has come.
    expect(await retention().run(new Date(NOW.getTime() + 2 * DAY))).toMatchObject({ sessionsErased: 1 });
    // A fresh unit of work: `em` still holds the session it read above.
    expect(await t.db.forTenant(keeping.tenantId).findOne(Session, recent.sessionId)).toBeNull();
  });
});
