import { randomBytes } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/sql';
import { z } from 'zod';
import { FaceListKind } from '../face-lists/face-list.entity.js';
import { FaceListService } from '../face-lists/face-list.service.js';
import { StepKind, ScenarioStep } from './scenario-step.entity.js';
import { ScenarioError } from './scenario.errors.js';
import { scenarioInputSchema, type ScenarioInput, type ScenarioInputRaw } from './scenario-input.js';
import { ScenarioVersion } from './scenario-version.entity.js';
import { Scenario } from './scenario.entity.js';
import { resolveUrl, type UrlPolicy } from '../webhooks/url-guard.js';
import { WebhookError } from '../webhooks/webhook.errors.js';

/** A scenario with the version new sessions start with, steps loaded. */
export interface ScenarioWithVersion {
  scenario: Scenario;
  version: ScenarioVersion;
}

/**
 * Scenarios and their versions. A change never edits a version: it writes the next one and moves `currentVersion`,
 * so running and finished sessions keep being judged (and explained) by the version they started with.
 */
export class ScenarioService {
  constructor(
    private readonly faceLists = new FaceListService(),
    /** The webhooks' SSRF policy, which the scenario's callback URL must pass too (issue 19). */
    private readonly callbackUrlPolicy: UrlPolicy = { allowHttpAndLoopback: false },
  ) {}

  /** Creates a scenario with version 1. */
  async create(em: EntityManager, tenantId: string, raw: ScenarioInputRaw): Promise<ScenarioWithVersion> {
    const input = parseInput(raw);
    await this.checkFaceLists(em, input.settings);
    await this.checkCallbackUrl(input.settings.callback.url);
    const scenario = em.create(Scenario, {
      tenant: tenantId,
      schemaId: `sch_${randomBytes(12).toString('base64url')}`,
      name: input.name,
      callbackSecret: randomBytes(32).toString('hex'),
      currentVersion: 1,
    });
    const version = this.writeVersion(em, tenantId, scenario, 1, input);
    await em.flush();
    return { scenario, version };
  }

  /** Writes the next version from the full new content and makes it current. */
  async update(em: EntityManager, tenantId: string, scenarioId: string, raw: ScenarioInputRaw): Promise<ScenarioWithVersion> {
    const input = parseInput(raw);
    await this.checkCallbackUrl(input.settings.callback.url);
    return em.transactional(async (tx) => {
      // Row lock: two concurrent edits must not both write version n+1.
      const scenario = await tx.findOne(Scenario, { id: scenarioId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!scenario) throw new ScenarioError('SCENARIO_NOT_FOUND', 'no such scenario');
      if (scenario.archivedAt) throw new ScenarioError('SCENARIO_ARCHIVED', 'the scenario is archived');
      await this.checkFaceLists(tx, input.settings);
      scenario.name = input.name;
      scenario.currentVersion += 1;
      const version = this.writeVersion(tx, tenantId, scenario, scenario.currentVersion, input);
      await tx.flush();
      return { scenario, version };
    });
  }

  /** Archives a scenario: no new sessions; existing ones finish under their version. Idempotent. */
  async archive(em: EntityManager, scenarioId: string): Promise<Scenario> {
    const scenario = await em.findOne(Scenario, { id: scenarioId });
    if (!scenario) throw new ScenarioError('SCENARIO_NOT_FOUND', 'no such scenario');
    scenario.archivedAt ??= new Date();
    await em.flush();
    return scenario;
  }

  /** The current version of an active scenario, found by id or by public schema id. */
  async current(em: EntityManager, ref: { id: string } | { schemaId: string }): Promise<ScenarioWithVersion> {
    const found = await this.get(em, ref);
    if (found.scenario.archivedAt) throw new ScenarioError('SCENARIO_ARCHIVED', 'the scenario is archived');
    return found;
  }

  /** A scenario (archived or not) at its current version. */
  async get(em: EntityManager, ref: { id: string } | { schemaId: string }): Promise<ScenarioWithVersion> {
    const scenario = await em.findOne(Scenario, ref);
    if (!scenario) throw new ScenarioError('SCENARIO_NOT_FOUND', 'no such scenario');
    const version = await em.findOneOrFail(
      ScenarioVersion,
      { scenario: scenario.id, version: scenario.currentVersion },
      { populate: ['steps'] },
    );
    return { scenario, version };
  }

  /** The tenant's scenarios at their current versions, steps loaded, newest first (three queries in all). */
  async list(em: EntityManager, options: { includeArchived?: boolean } = {}): Promise<ScenarioWithVersion[]> {
    const scenarios = await em.find(Scenario, options.includeArchived ? {} : { archivedAt: null }, { orderBy: { createdAt: 'desc', id: 'asc' } });
    if (scenarios.length === 0) return [];
    const versions = await em.find(
      ScenarioVersion,
      { $or: scenarios.map((s) => ({ scenario: s.id, version: s.currentVersion })) },
      { populate: ['steps'] },
    );
    const byScenario = new Map(versions.map((v) => [v.scenario.id, v]));
    return scenarios.map((scenario) => ({ scenario, version: byScenario.get(scenario.id)! }));
  }

  /**
   * The three scenarios every new tenant starts with: document only; document + selfie; document + selfie +
   * liveness. They search the tenant's blacklist and add successful faces to its customer list.
   */
  async seedDefaults(em: EntityManager, tenantId: string, lists: { blacklistId: string; customersId: string }): Promise<Scenario[]> {
    const settings = { blacklistFaceListId: lists.blacklistId, customerFaceListId: lists.customersId };
    const recipes: [string, StepKind[]][] = [
      ['Document only', [StepKind.DOCUMENT]],
      ['Document and selfie', [StepKind.DOCUMENT, StepKind.SELFIE]],
      ['Document, selfie and liveness', [StepKind.DOCUMENT, StepKind.SELFIE, StepKind.LIVENESS]],
    ];
    const created: Scenario[] = [];
    for (const [name, kinds] of recipes) {
      const { scenario } = await this.create(em, tenantId, { name, settings, steps: kinds.map((kind) => ({ kind })) });
      created.push(scenario);
    }
    return created;
  }

  /** The lists a version names must be the tenant's own, each of its kind (the engine trusts the stored ids). */
  /** The callback is delivered like any webhook endpoint: refused at input for the same reasons (SSRF). */
  private async checkCallbackUrl(url: string | null): Promise<void> {
    if (!url) return;
    try {
      await resolveUrl(url, this.callbackUrlPolicy);
    } catch (error) {
      if (error instanceof WebhookError) throw new ScenarioError('INVALID_SCENARIO', `settings.callback.url: ${error.message}`, { ...error.details, path: 'settings.callback.url' });
      throw error;
    }
  }

  private async checkFaceLists(em: EntityManager, settings: ScenarioInput['settings']): Promise<void> {
    if (settings.blacklistFaceListId) await this.faceLists.requireKind(em, settings.blacklistFaceListId, FaceListKind.BLACKLIST, 'settings.blacklistFaceListId');
    if (settings.customerFaceListId) await this.faceLists.requireKind(em, settings.customerFaceListId, FaceListKind.CUSTOMERS, 'settings.customerFaceListId');
  }

  private writeVersion(
    em: EntityManager,
    tenantId: string,
    scenario: Scenario,
    number: number,
    input: ReturnType<typeof parseInput>,
  ): ScenarioVersion {
    const version = em.create(ScenarioVersion, { tenant: tenantId, scenario, version: number, settings: input.settings });
    input.steps.forEach((step, position) => {
      version.steps.add(em.create(ScenarioStep, { tenant: tenantId, scenarioVersion: version, position, ...step }));
    });
    return version;
  }
}

function parseInput(raw: ScenarioInputRaw) {
  const parsed = scenarioInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ScenarioError('INVALID_SCENARIO', z.prettifyError(parsed.error), {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}
