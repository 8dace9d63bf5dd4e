import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Scope } from '../../domain/tokens/scopes.js';
import type { RequestContext } from '../../server/context.js';
import { actorOf } from '../common/actor.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';
import { FaceListEntryType, FaceListType } from './face-list.type.js';

/** Blacklists and customer lists. */
@Resolver()
export class FaceListResolver {
  @Authorized(Scope.FACELISTS_READ)
  @Query(() => [FaceListType], { description: "The tenant's face lists." })
  async faceLists(@Ctx() ctx: RequestContext): Promise<FaceListType[]> {
    const { em } = tenantScope(ctx);
    return (await ctx.services.faceLists.list(em)).map(({ list, size }) => ({ id: list.id, name: list.name, kind: list.kind, size }));
  }

  @Authorized(Scope.FACELISTS_WRITE)
  @Mutation(() => FaceListEntryType, { description: 'Puts a face on a list (e.g. blacklists a fraudster); audited.' })
  async addFaceToList(
    @Ctx() ctx: RequestContext,
    @Arg('listId', () => ID) listId: string,
    @Arg('faceId', () => ID) faceId: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
  ): Promise<FaceListEntryType> {
    const { em, tenantId, principal } = tenantScope(ctx);
    const entry = await ctx.services.faceLists.addFace(em, {
      tenantId,
      listId: parseId(listId, 'listId'),
      faceId: parseId(faceId, 'faceId'),
      reason: reason?.slice(0, 1000) ?? undefined,
      actor: actorOf(principal),
    });
    return { id: entry.id, listId: entry.list.id, faceId: entry.face.id, reason: entry.reason ?? null, createdAt: entry.createdAt };
  }

  @Authorized(Scope.FACELISTS_WRITE)
  @Mutation(() => Boolean, { description: 'Takes a face off a list; audited.' })
  async removeFaceFromList(@Ctx() ctx: RequestContext, @Arg('listId', () => ID) listId: string, @Arg('faceId', () => ID) faceId: string): Promise<boolean> {
    const { em, tenantId, principal } = tenantScope(ctx);
    await ctx.services.faceLists.removeFace(em, { tenantId, listId: parseId(listId, 'listId'), faceId: parseId(faceId, 'faceId'), actor: actorOf(principal) });
    return true;
  }
}
