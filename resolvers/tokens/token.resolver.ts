import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { ApiToken } from '../../domain/tokens/api-token.entity.js';
import { Scope } from '../../domain/tokens/scopes.js';
import { tokenCreator, type RequestContext } from '../../server/context.js';
import { actorOf } from '../common/actor.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';
import { ApiTokenType, CreateApiTokenPayload } from './token.type.js';

function toApiTokenType(t: ApiToken): ApiTokenType {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt ?? null,
    lastUsedAt: t.lastUsedAt ?? null,
    revokedAt: t.revokedAt ?? null,
  };
}

/** Partner token management. */
@Resolver()
export class TokenResolver {
  @Authorized(Scope.TOKENS_MANAGE)
  @Query(() => [ApiTokenType], { description: "The tenant's partner tokens (never their secrets), newest first." })
  async apiTokens(@Ctx() ctx: RequestContext): Promise<ApiTokenType[]> {
    const { em } = tenantScope(ctx);
    return (await ctx.services.tokens.list(em)).map(toApiTokenType);
  }

  @Authorized(Scope.TOKENS_MANAGE)
  @Mutation(() => CreateApiTokenPayload, { description: 'Creates a partner token; the secret is in this answer only.' })
  async createApiToken(
    @Ctx() ctx: RequestContext,
    @Arg('name', () => String) name: string,
    @Arg('scopes', () => [String]) scopes: string[],
    @Arg('expiresAt', () => Date, { nullable: true }) expiresAt: Date | null,
  ): Promise<CreateApiTokenPayload> {
    const { em, tenantId, principal } = tenantScope(ctx);
    const { token, secret } = await ctx.services.tokens.create(em, {
      tenantId,
      name,
      scopes,
      creator: tokenCreator(principal),
      expiresAt: expiresAt ?? undefined,
      actor: actorOf(principal),
    });
    return { token: toApiTokenType(token), secret };
  }

  @Authorized(Scope.TOKENS_MANAGE)
  @Mutation(() => ApiTokenType, { description: 'Revokes a token at once (idempotent).' })
  async revokeApiToken(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<ApiTokenType> {
    const { em, principal } = tenantScope(ctx);
    return toApiTokenType(await ctx.services.tokens.revoke(em, parseId(id, 'id'), actorOf(principal)));
  }
}
