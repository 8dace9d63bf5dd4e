import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Resolver, UseMiddleware } from 'type-graphql';
import type { OperatorSession } from '../../domain/users/operator-auth.service.js';
import { PUBLIC } from '../../server/auth.js';
import type { RequestContext } from '../../server/context.js';
import { OperatorType, toOperator } from '../users/operator.type.js';
import { clientAddress, CredentialCheck } from './credential-check.middleware.js';

@ObjectType({ description: 'Tokens of a signed-in operator: a 15-minute access token and a single-use refresh token.' })
export class AuthPayload {
  @Field(() => String)
  accessToken!: string;

  @Field(() => Date)
  accessTokenExpiresAt!: Date;

  @Field(() => String)
  refreshToken!: string;

  @Field(() => OperatorType)
  operator!: OperatorType;
}

function toPayload(s: OperatorSession): AuthPayload {
  return {
    accessToken: s.accessToken,
    accessTokenExpiresAt: s.accessTokenExpiresAt,
    refreshToken: s.refreshToken,
    operator: toOperator(s.user),
  };
}

/** Operator sign-in (console). */
@Resolver()
export class AuthResolver {
  @Authorized(PUBLIC)
  @UseMiddleware(CredentialCheck)
  @Mutation(() => AuthPayload, {
    description: 'Signs an operator in. Every credential problem answers the same UNAUTHENTICATED; too many failures lock the account and the address out (RATE_LIMITED, reason LOGIN_LOCKED, HTTP 429 with Retry-After), longer each time.',
  })
  async login(
    @Ctx() ctx: RequestContext,
    @Arg('tenant', () => String, { description: 'Tenant slug.' }) tenant: string,
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
  ): Promise<AuthPayload> {
    return toPayload(await ctx.services.operators.login({ tenantSlug: tenant, email, password }, clientAddress(ctx)));
  }

  @Authorized(PUBLIC)
  @UseMiddleware(CredentialCheck)
  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token (single use) for a new pair. Failures are throttled per address like login.' })
  async refreshSession(@Ctx() ctx: RequestContext, @Arg('refreshToken', () => String) refreshToken: string): Promise<AuthPayload> {
    return toPayload(await ctx.services.operators.refresh(refreshToken, clientAddress(ctx)));
  }

  @Authorized(PUBLIC)
  @Mutation(() => Boolean, { description: "Signs out: the refresh token's family is revoked." })
  async logout(@Ctx() ctx: RequestContext, @Arg('refreshToken', () => String) refreshToken: string): Promise<boolean> {
    await ctx.services.operators.logout(refreshToken);
    return true;
  }
}
