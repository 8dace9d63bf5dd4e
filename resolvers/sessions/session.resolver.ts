import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { listSessions } from '../../domain/sessions/session.repository.js';
import { Scope } from '../../domain/tokens/scopes.js';
import { APPLICANT } from '../../server/auth.js';
import type { RequestContext } from '../../server/context.js';
import { ApiError, ApiErrorCode } from '../../server/errors.js';
import type { Page } from '../common/connection.js';
import { pageArgs, toConnection } from '../common/pagination.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';
import { RejectType } from '../../domain/sessions/session-status.js';
import { actorOf } from '../common/actor.js';
import { CreateSessionInput, OrderDirection, ReviewDecision, SessionFilterInput, SessionOrderField, SessionOrderInput, toSessionOrder } from './session.input.js';
import { toSessionStepType, toSessionType } from './session.mapper.js';
import { CreateSessionPayload, ScenarioSummary, SessionConnection, SessionStepType, SessionType } from './session.type.js';

/** Largest page of `sessions`. */
export const MAX_PAGE_SIZE = 100;

/** Sessions of the caller's tenant; an applicant reads only its own. */
@Resolver(() => SessionType)
export class SessionResolver {
  @Authorized(Scope.SESSIONS_WRITE)
  @Mutation(() => CreateSessionPayload, { description: 'Opens a session and returns the applicant token for it.' })
  async createSession(@Ctx() ctx: RequestContext, @Arg('input', () => CreateSessionInput) input: CreateSessionInput): Promise<CreateSessionPayload> {
    const { em, tenantId } = tenantScope(ctx);
    const scenario = input.scenarioId.startsWith('sch_') ? { schemaId: input.scenarioId } : { id: parseId(input.scenarioId, 'scenarioId') };
    const session = await ctx.services.sessions.create(em, tenantId, {
      scenario,
      externalUserId: input.externalUserId ?? null,
      metadata: input.metadata ?? {},
    });
    const applicantToken = ctx.services.applicantTokens.sign({ sessionId: session.id, tenantId, expiresAt: session.frozenAt });
    return { session: toSessionType(session), applicantToken };
  }

  @Authorized(Scope.SESSIONS_READ, APPLICANT)
  @Query(() => SessionType, { description: 'One session by id. An applicant token reads only its own session.' })
  async session(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<SessionType> {
    const { em, principal } = tenantScope(ctx);
    const sessionId = parseId(id, 'id');
    if (principal.kind === 'applicant' && principal.sessionId !== sessionId) throw new ApiError(ApiErrorCode.NOT_FOUND, 'no such session');
    return toSessionType(await ctx.services.sessions.get(em, sessionId));
  }

  @Authorized(Scope.SESSIONS_READ)
  @Query(() => SessionConnection, { description: 'Sessions as a Relay connection, newest first unless `orderBy` says otherwise.' })
  async sessions(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => SessionFilterInput, { nullable: true }) filter: SessionFilterInput | null,
    @Arg('orderBy', () => SessionOrderInput, { defaultValue: { field: SessionOrderField.CREATED_AT, direction: OrderDirection.DESC } }) orderBy: SessionOrderInput,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<SessionType>> {
    const { em } = tenantScope(ctx);
    const { order, parseSortKey } = toSessionOrder(orderBy);
    const page = await listSessions(em, {
      filter: { ...filter, scenarioId: filter?.scenarioId ? parseId(filter.scenarioId, 'filter.scenarioId') : undefined },
      order,
      ...pageArgs(first, after, MAX_PAGE_SIZE, parseSortKey),
    });
    return toConnection(page, (s) => s[order.field] ?? null, toSessionType);
  }

  @Authorized(Scope.SESSIONS_REVIEW)
  @Mutation(() => SessionType, { description: "An operator's manual decision on a finished session: audited and announced." })
  async reviewSession(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => ReviewDecision) decision: ReviewDecision,
    @Arg('note', () => String) note: string,
    @Arg('rejectType', () => RejectType, { nullable: true }) rejectType: RejectType | null,
    @Arg('rejectLabels', () => [String], { nullable: true }) rejectLabels: string[] | null,
  ): Promise<SessionType> {
    const { em, tenantId, principal } = tenantScope(ctx);
    const session = await ctx.services.sessions.review(em, {
      tenantId,
      sessionId: parseId(id, 'id'),
      approve: decision === ReviewDecision.APPROVE,
      note,
      rejectType: rejectType ?? undefined,
      rejectLabels: rejectLabels ?? undefined,
      actor: actorOf(principal),
    });
    return toSessionType(session);
  }

  @FieldResolver(() => ScenarioSummary)
  async scenario(@Root() session: SessionType, @Ctx() ctx: RequestContext): Promise<ScenarioSummary> {
    const scenario = await tenantScope(ctx).loaders.scenario.load(session.scenarioId);
    if (!scenario) throw new ApiError(ApiErrorCode.NOT_FOUND, 'scenario not found');
    return { id: scenario.id, schemaId: scenario.schemaId, name: scenario.name };
  }

  @FieldResolver(() => Int, { description: 'Scenario version the session is judged by.' })
  async scenarioVersion(@Root() session: SessionType, @Ctx() ctx: RequestContext): Promise<number> {
    const version = await tenantScope(ctx).loaders.scenarioVersion.load(session.scenarioVersionId);
    if (!version) throw new ApiError(ApiErrorCode.NOT_FOUND, 'scenario version not found');
    return version.version;
  }

  @FieldResolver(() => [SessionStepType])
  async steps(@Root() session: SessionType, @Ctx() ctx: RequestContext): Promise<SessionStepType[]> {
    return (await tenantScope(ctx).loaders.sessionSteps.load(session.id)).map(toSessionStepType);
  }
}
