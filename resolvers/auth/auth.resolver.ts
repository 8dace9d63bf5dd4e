import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Resolver, UseMiddleware, registerEnumType } from 'type-graphql';
import type { OperatorSession } from '../../domain/users/operator-auth.service.js';
import { UserRole } from '../../domain/users/user.entity.js';
import { PUBLIC } from '../../server/auth.js';
import type { RequestContext } from '../../server/context.js';
import { clientAddress, CredentialCheck } from './credential-check.middleware.js';

registerEnumType(UserRole, { name: 'UserRole' });

@ObjectType('Operator')
export class OperatorType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => UserRole)
  role!: UserRole;
}

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
    operator: { id: s.user.id, email: s.user.email, role: s.user.role },
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
