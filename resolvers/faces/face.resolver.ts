import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '../../domain/tokens/scopes.js';
import type { RequestContext } from '../../server/context.js';
import { ApiError, ApiErrorCode } from '../../server/errors.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';
import { SessionType } from '../sessions/session.type.js';
import { toFaceType } from './face.mapper.js';
import { FaceType } from './face.type.js';

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

  @FieldResolver(() => [FaceType], { description: "Every face found on the session's captures, largest first per capture." })
  async faces(@Root() session: SessionType, @Ctx() ctx: RequestContext): Promise<FaceType[]> {
    return (await tenantScope(ctx).loaders.sessionFaces.load(session.id)).map(toFaceType);
  }
}

