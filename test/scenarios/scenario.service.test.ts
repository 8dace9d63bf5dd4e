import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceList } from '../../domain/face-lists/face-list.entity.js';
import { ScenarioService } from '../../domain/scenarios/scenario.service.js';
import { Scenario } from '../../domain/scenarios/scenario.entity.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';
import { ScenarioVersion } from '../../domain/scenarios/scenario-version.entity.js';
import { seedTenant } from '../support/seed.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';

describe.each(testDrivers('scenarios'))('scenarios on %s', (driver) => {
  let t: TestDatabase;
  const scenarios = new ScenarioService();
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(() => t?.dispose());

  it('seeds three default scenarios wired to the tenant blacklist and customer list', async () => {
    const { tenant } = await seedTenant(t.db);
    const em = t.db.forTenant(tenant.id);
    const all = await em.find(Scenario, {}, { orderBy: { name: 'asc' } });
    expect(all.map((s) => s.name)).toEqual(['Document and selfie', 'Document only', 'Document, selfie and liveness']);
    const lists = await em.find(FaceList, {});
    const blacklist = lists.find((l) => l.kind === 'BLACKLIST')!;
    const liveness = await scenarios.current(em, { id: all[2]!.id });
    expect(liveness.version.steps.getItems().map((s) => s.kind)).toEqual([StepKind.DOCUMENT, StepKind.SELFIE, StepKind.LIVENESS]);
    expect(liveness.version.settings.blacklistFaceListId).toBe(blacklist.id);
    expect(liveness.version.settings).toMatchObject({ criticalErrorsBeforeBlock: 3, imageRetentionDays: 183, dataRetentionDays: 0 });
  });

  it('writes a new version on update and keeps the old one intact', async () => {
    const { tenant } = await seedTenant(t.db);
    const em = t.db.forTenant(tenant.id);
    const { scenario, version: v1 } = await scenarios.create(em, tenant.id, { name: 'Strict', steps: [{ kind: StepKind.DOCUMENT, countries: ['DEU'] }] });
    const { version: v2 } = await scenarios.update(t.db.forTenant(tenant.id), tenant.id, scenario.id, {
      name: 'Strict v2',
      settings: { allowedAge: { min: 21, max: null } },
      steps: [{ kind: StepKind.DOCUMENT }, { kind: StepKind.SELFIE }],
    });
    expect(v2.version).toBe(2);
    const fresh = t.db.forTenant(tenant.id);
    const current = await scenarios.current(fresh, { schemaId: scenario.schemaId });
    expect(current.version.version).toBe(2);
    expect(current.version.steps).toHaveLength(2);
    expect(current.version.settings.allowedAge).toEqual({ min: 21, max: null });
    const old = await fresh.findOneOrFail(ScenarioVersion, v1.id, { populate: ['steps'] });
    expect(old.settings.allowedAge).toEqual({ min: 18, max: null });
    expect(old.steps.getItems().map((s) => s.countries)).toEqual([['DEU']]);
  });

  it('rejects invalid content with a typed error naming the field', async () => {
    const { tenant } = await seedTenant(t.db);
    const em = t.db.forTenant(tenant.id);
    await expect(scenarios.create(em, tenant.id, { name: 'x', steps: [] })).rejects.toMatchObject({ code: 'INVALID_SCENARIO' });
    await expect(
      scenarios.create(em, tenant.id, { name: 'x', steps: [{ kind: StepKind.SELFIE }], settings: { checks: { NOT_A_CODE: { enabled: true, effect: 'REJECT' as never } } } }),
    ).rejects.toMatchObject({ code: 'INVALID_SCENARIO', details: { issues: [expect.objectContaining({ path: 'settings.checks.NOT_A_CODE' })] } });
    await expect(
      scenarios.create(em, tenant.id, { name: 'x', steps: [{ kind: StepKind.DOCUMENT, countries: ['germany'] }] }),
    ).rejects.toMatchObject({ code: 'INVALID_SCENARIO' });
    await expect(
      scenarios.create(em, tenant.id, { name: 'x', steps: [{ kind: StepKind.DOCUMENT }], settings: { allowedAge: { min: 30, max: 20 } } }),
    ).rejects.toMatchObject({ code: 'INVALID_SCENARIO' });
  });

  it('refuses to start from an archived scenario, and cannot see another tenant\'s scenario', async () => {
    const a = await seedTenant(t.db);
    const b = await seedTenant(t.db);
    const em = t.db.forTenant(a.tenant.id);
    const { scenario } = await scenarios.create(em, a.tenant.id, { name: 'temp', steps: [{ kind: StepKind.SELFIE }] });
    await expect(scenarios.current(t.db.forTenant(b.tenant.id), { id: scenario.id })).rejects.toMatchObject({ code: 'SCENARIO_NOT_FOUND' });
    await scenarios.archive(t.db.forTenant(a.tenant.id), scenario.id);
    await expect(scenarios.current(t.db.forTenant(a.tenant.id), { id: scenario.id })).rejects.toMatchObject({ code: 'SCENARIO_ARCHIVED' });
  });
});
