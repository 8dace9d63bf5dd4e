import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '../../domain/tokens/scopes.js';
import type { RequestContext } from '../../server/context.js';
import { ApiError, ApiErrorCode } from '../../server/errors.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';
import { SessionType } from '../sessions/session.type.js';
import { toFaceType } from './face.mapper.js';
import { FaceType, SimilarSessionType } from './face.type.js';

/** Faces: one by id, and the faces of a session. */
@Resolver(() => SessionType)
export class FaceResolver {
  @Authorized(Scope.SESSIONS_READ)
  @Query(() => FaceType, { description: 'One face by id.' })
  async face(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<FaceType> {
    const { loaders } = tenantScope(ctx);
    const face = await loaders.face.load(parseId(id, 'id'));
    if (!face) throw new ApiError(ApiErrorCode.NOT_FOUND, 'no such face');
    return toFaceType(face);
  }

  @Authorized(Scope.SESSIONS_READ)
  @Query(() => [SimilarSessionType], { description: "The tenant's other sessions showing the same person as this face, most similar first." })
  async sessionsWithSameFace(
    @Ctx() ctx: RequestContext,
    @Arg('faceId', () => ID) faceId: string,
    @Arg('limit', () => Int, { defaultValue: 20 }) limit: number,
  ): Promise<SimilarSessionType[]> {
    if (limit < 1 || limit > 100) throw new ApiError(ApiErrorCode.BAD_USER_INPUT, 'limit must be between 1 and 100', { argument: 'limit' });
    const { em, tenantId } = tenantScope(ctx);
    const hits = await ctx.services.faceMatches.sameFace(em, tenantId, parseId(faceId, 'faceId'), limit);
    return hits.map((h) => ({ sessionId: h.sessionId, faceId: h.faceId, similarity: h.similarity }));
  }

  @FieldResolver(() => [FaceType], { description: "Every face found on the session's captures, largest first per capture." })
  async faces(@Root() session: SessionType, @Ctx() ctx: RequestContext): Promise<FaceType[]> {
    return (await tenantScope(ctx).loaders.sessionFaces.load(session.id)).map(toFaceType);
  }
}

