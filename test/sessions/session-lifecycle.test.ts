import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scenario } from '../../domain/scenarios/scenario.entity.js';
import { ScenarioService } from '../../domain/scenarios/scenario.service.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';
import { Session } from '../../domain/sessions/session.entity.js';
import { SessionService } from '../../domain/sessions/session.service.js';
import { SessionStatus } from '../../domain/sessions/session-status.js';
import { InProcessBus } from '../../domain/events/in-process.bus.js';
import { seedTenant } from '../support/seed.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';

describe.each(testDrivers('session lifecycle'))('session lifecycle on %s', (driver) => {
  let t: TestDatabase;
  let sessions: SessionService;
  const scenarios = new ScenarioService();
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    sessions = new SessionService(t.db, scenarios, new InProcessBus());
  });
  afterAll(() => t?.dispose());

  async function tenantWithScenario(lifetimeMinutes = 30) {
    const { tenant } = await seedTenant(t.db);
    const em = t.db.forTenant(tenant.id);
    const { scenario } = await scenarios.create(em, tenant.id, {
      name: 'doc+selfie',
      settings: { sessionLifetimeMinutes: lifetimeMinutes },
      steps: [{ kind: StepKind.DOCUMENT }, { kind: StepKind.SELFIE }],
    });
    return { tenantId: tenant.id, scenario };
  }

  it('opens a session on the current version with one step per scenario step and a deadline', async () => {
    const { tenantId, scenario } = await tenantWithScenario(30);
    const now = new Date('2026-11-24T10:00:00Z');
    const session = await sessions.create(t.db.forTenant(tenantId), tenantId, { scenario: { schemaId: scenario.schemaId }, externalUserId: 'u-1' }, now);
    const read = await t.db.forTenant(tenantId).findOneOrFail(Session, session.id, { populate: ['steps', 'scenarioVersion'] });
    expect(read.status).toBe(SessionStatus.IN_PROGRESS);
    expect(read.steps.getItems().map((s) => [s.position, s.kind])).toEqual([[0, 'DOCUMENT'], [1, 'SELFIE']]);
    expect(read.frozenAt.toISOString()).toBe('2026-11-24T10:30:00.000Z');
    expect(read.scenarioVersion.getEntity().version).toBe(1);
  });

  it('refuses uploads after the lifetime with SESSION_FROZEN, and to unknown steps', async () => {
    const { tenantId, scenario } = await tenantWithScenario(1);
    const start = new Date();
    const session = await sessions.create(t.db.forTenant(tenantId), tenantId, { scenario: { id: scenario.id } }, start);
    await t.db.forTenant(tenantId).transactional((tx) => sessions.lockForCapture(tx, session.id, 0, start));
    await expect(
      t.db.forTenant(tenantId).transactional((tx) => sessions.lockForCapture(tx, session.id, 7, start)),
    ).rejects.toMatchObject({ code: 'STEP_NOT_FOUND' });
    const later = new Date(start.getTime() + 61_000);
    await expect(
      t.db.forTenant(tenantId).transactional((tx) => sessions.lockForCapture(tx, session.id, 0, later)),
    ).rejects.toMatchObject({ code: 'SESSION_FROZEN' });
  });

  it('validates partner input', async () => {
    const { tenantId, scenario } = await tenantWithScenario();
    await expect(
      sessions.create(t.db.forTenant(tenantId), tenantId, { scenario: { id: scenario.id }, metadata: { blob: 'x'.repeat(9000) } }),
    ).rejects.toMatchObject({ code: 'INVALID_SESSION' });
    await expect(sessions.create(t.db.forTenant(tenantId), tenantId, { scenario: { schemaId: 'sch_nope' } })).rejects.toMatchObject({
      code: 'SCENARIO_NOT_FOUND',
    });
  });

  it('serialises concurrent uploads to one session: no update is lost', async () => {
    const { tenantId, scenario } = await tenantWithScenario();
    const session = await sessions.create(t.db.forTenant(tenantId), tenantId, { scenario: { id: scenario.id } });
    const upload = () =>
      t.db.forTenant(tenantId).transactional(async (tx) => {
        const { session: locked } = await sessions.lockForCapture(tx, session.id, 0);
        const seen = locked.attempts;
        await new Promise((resolve) => setImmediate(resolve)); // let the other upload run in between if it can
        locked.attempts = seen + 1;
      });
    await Promise.all(Array.from({ length: 8 }, upload));
    expect((await t.db.forTenant(tenantId).findOneOrFail(Session, session.id)).attempts).toBe(8);
  });

  it('sweeps abandoned sessions to IDLE, then EXPIRED past the deadline; concurrent sweeps move each once', async () => {
    const { tenantId, scenario } = await tenantWithScenario(30);
    const start = new Date(Date.now() - 20 * 60_000);
    const a = await sessions.create(t.db.forTenant(tenantId), tenantId, { scenario: { id: scenario.id } }, start);
    await t.db.orm.em.fork().execute('update kyc_session set updated_at = ? where id = ?', [start, a.id]);

    const idle = await sessions.sweep(new Date());
    expect(idle.idled.map((s) => s.id)).toContain(a.id);
    expect(idle.expired.map((s) => s.id)).not.toContain(a.id);

    const afterDeadline = new Date(start.getTime() + 31 * 60_000);
    const results = await Promise.all([sessions.sweep(afterDeadline), sessions.sweep(afterDeadline), sessions.sweep(afterDeadline)]);
    const movedA = results.flatMap((r) => r.expired).filter((s) => s.id === a.id);
    expect(movedA).toEqual([{ id: a.id, tenantId, scenarioId: scenario.id }]);
    const read = await t.db.forTenant(tenantId).findOneOrFail(Session, a.id);
    expect(read.status).toBe(SessionStatus.EXPIRED);
    expect(read.finishedAt).not.toBeNull();
  });

  it('keeps running sessions on the version they started with after the scenario changes', async () => {
    const { tenantId, scenario } = await tenantWithScenario();
    const session = await sessions.create(t.db.forTenant(tenantId), tenantId, { scenario: { id: scenario.id } });
    await scenarios.update(t.db.forTenant(tenantId), tenantId, scenario.id, { name: 'selfie only', steps: [{ kind: StepKind.SELFIE }] });
    const read = await t.db.forTenant(tenantId).findOneOrFail(Session, session.id, { populate: ['scenarioVersion', 'steps'] });
    expect(read.scenarioVersion.getEntity().version).toBe(1);
    expect(read.steps).toHaveLength(2);
    expect((await t.db.forTenant(tenantId).findOneOrFail(Scenario, scenario.id)).currentVersion).toBe(2);
  });
});
