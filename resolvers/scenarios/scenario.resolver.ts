import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Scope } from '../../domain/tokens/scopes.js';
import type { RequestContext } from '../../server/context.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';
import { ScenarioInput, toScenarioInput } from './scenario.input.js';
import { toScenarioType } from './scenario.mapper.js';
import { ScenarioType } from './scenario.type.js';

/** Scenarios of the caller's tenant. */
@Resolver(() => ScenarioType)
export class ScenarioResolver {
  @Authorized(Scope.SCENARIOS_READ)
  @Query(() => [ScenarioType], { description: "The tenant's scenarios at their current versions, newest first." })
  async scenarios(
    @Ctx() ctx: RequestContext,
    @Arg('includeArchived', () => Boolean, { defaultValue: false }) includeArchived: boolean,
  ): Promise<ScenarioType[]> {
    const { em } = tenantScope(ctx);
    const found = await ctx.services.scenarios.list(em, { includeArchived });
    return found.map(({ scenario, version }) => toScenarioType(scenario, version, version.steps.getItems()));
  }

  @Authorized(Scope.SCENARIOS_READ)
  @Query(() => ScenarioType, { description: 'One scenario by id.' })
  async scenario(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<ScenarioType> {
    const { em } = tenantScope(ctx);
    const { scenario, version } = await ctx.services.scenarios.get(em, { id: parseId(id, 'id') });
    return toScenarioType(scenario, version, version.steps.getItems());
  }

  @Authorized(Scope.SCENARIOS_WRITE)
  @Mutation(() => ScenarioType, { description: 'Creates a scenario (version 1).' })
  async createScenario(@Ctx() ctx: RequestContext, @Arg('input', () => ScenarioInput) input: ScenarioInput): Promise<ScenarioType> {
    const { em, tenantId } = tenantScope(ctx);
    const { scenario, version } = await ctx.services.scenarios.create(em, tenantId, toScenarioInput(input));
    return toScenarioType(scenario, version, version.steps.getItems());
  }

  @Authorized(Scope.SCENARIOS_WRITE)
  @Mutation(() => ScenarioType, { description: 'Writes the next version of a scenario; running sessions keep theirs.' })
  async updateScenario(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ScenarioInput) input: ScenarioInput,
  ): Promise<ScenarioType> {
    const { em, tenantId } = tenantScope(ctx);
    const { scenario, version } = await ctx.services.scenarios.update(em, tenantId, parseId(id, 'id'), toScenarioInput(input));
    return toScenarioType(scenario, version, version.steps.getItems());
  }

  @Authorized(Scope.SCENARIOS_WRITE)
  @Mutation(() => ScenarioType, { description: 'Archives a scenario: no new sessions start from it.' })
  async archiveScenario(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<ScenarioType> {
    const { em } = tenantScope(ctx);
    const scenarioId = parseId(id, 'id');
    await ctx.services.scenarios.archive(em, scenarioId);
    const { scenario, version } = await ctx.services.scenarios.get(em, { id: scenarioId });
    return toScenarioType(scenario, version, version.steps.getItems());
  }
}
