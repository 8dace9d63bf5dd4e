import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { SessionTombstone } from '../../domain/erasure/session-tombstone.entity.js';
import { Scope } from '../../domain/tokens/scopes.js';
import type { RequestContext } from '../../server/context.js';
import { actorOf } from '../common/actor.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';
import { SessionDeletionType } from './session-deletion.type.js';

function toSessionDeletionType(t: SessionTombstone): SessionDeletionType {
  return {
    sessionId: t.id,
    deletedAt: t.deletedAt,
    captures: t.captures.map((c) => ({ ...c, createdAt: new Date(c.createdAt) })),
    faceCount: t.faceCount,
    faceListEntryCount: t.faceListEntryCount,
  };
}

/** GDPR erasure of a session (issue 20). */
@Resolver()
export class SessionErasureResolver {
  @Authorized(Scope.SESSIONS_DELETE)
  @Mutation(() => SessionDeletionType, {
    description: 'Erases a session: images, OCR values, MRZ, faces and face-list memberships, in one transaction; audited and announced.',
  })
  async deleteSession(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<SessionDeletionType> {
    const { em, tenantId, principal } = tenantScope(ctx);
    const tombstone = await ctx.services.erasure.erase(em, tenantId, parseId(id, 'id'), { actor: actorOf(principal) });
    return toSessionDeletionType(tombstone);
  }
}
