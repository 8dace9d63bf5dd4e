import { Arg, Authorized, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { eventStream } from '../../domain/events/event-stream.js';
import { Topic, type SessionEvent } from '../../domain/events/event.types.js';
import type { SessionStatus } from '../../domain/sessions/session-status.js';
import { Scope } from '../../domain/tokens/scopes.js';
import { APPLICANT, assertAllowed } from '../../server/auth.js';
import { credentialLifetime, type RequestContext } from '../../server/context.js';
import { ApiError, ApiErrorCode } from '../../server/errors.js';
import { parseId } from '../common/tenant-scope.js';
import { toWarningType } from '../sessions/session.mapper.js';
import { SessionEventFilter, SessionEventKind, SessionEventType } from './session-event.type.js';

type Data = SubscribeResolverData<unknown, { filter?: SessionEventFilter | null; id?: string }, RequestContext>;

function openStream(context: RequestContext, required: string[], accept: (event: SessionEvent) => boolean) {
  const { principal, services } = context;
  assertAllowed(principal, required); // type-graphql checks @Authorized per event; the stream itself is checked here
  if (principal.kind === 'anonymous') throw new ApiError(ApiErrorCode.UNAUTHENTICATED, 'a valid bearer token is required');
  return eventStream(services.events, principal.tenantId, {
    accept: (event): event is SessionEvent => event.topic !== Topic.TOKEN_REVOKED && accept(event),
    ...credentialLifetime(principal, services.clock),
  });
}

/** Live session events of the caller's tenant (graphql-ws). */
@Resolver()
export class SessionEventResolver {
  @Authorized(Scope.SESSIONS_READ)
  @Subscription(() => SessionEventType, {
    description: "The tenant's live log: sessions created, captures received, steps evaluated, decisions, reviews.",
    subscribe: ({ args, context }: Data) => {
      const scenarioId = args.filter?.scenarioId ? parseId(args.filter.scenarioId, 'filter.scenarioId') : undefined;
      const statuses = args.filter?.statuses;
      return openStream(
        context,
        [Scope.SESSIONS_READ],
        (e) => (!scenarioId || e.scenarioId === scenarioId) && (!statuses?.length || statuses.includes(e.status as SessionStatus)),
      );
    },
  })
  sessionEvents(
    @Root() event: SessionEvent,
    @Arg('filter', () => SessionEventFilter, { nullable: true }) _filter: SessionEventFilter | null,
  ): SessionEventType {
    return toSessionEventType(event);
  }

  @Authorized(Scope.SESSIONS_READ, APPLICANT)
  @Subscription(() => SessionEventType, {
    description: "Events of one session; an applicant token may follow its own session only.",
    subscribe: async ({ args, context }: Data) => {
      const sessionId = parseId(args.id ?? '', 'id');
      const { principal } = context;
      if (principal.kind === 'applicant' && principal.sessionId !== sessionId) throw new ApiError(ApiErrorCode.NOT_FOUND, 'no such session');
      // Another tenant's session answers like a missing one (the tenant-scoped read cannot see it).
      if (context.em) await context.services.sessions.get(context.em, sessionId);
      return openStream(context, [Scope.SESSIONS_READ, APPLICANT], (e) => e.sessionId === sessionId);
    },
  })
  sessionUpdated(@Root() event: SessionEvent, @Arg('id', () => ID) _id: string): SessionEventType {
    return toSessionEventType(event);
  }
}

function toSessionEventType(event: SessionEvent): SessionEventType {
  return {
    kind: event.topic as unknown as SessionEventKind,
    sessionId: event.sessionId,
    scenarioId: event.scenarioId,
    status: event.status as SessionStatus,
    step: event.step ?? null,
    warnings: (event.warnings ?? []).map(toWarningType),
    at: new Date(event.at),
  };
}
