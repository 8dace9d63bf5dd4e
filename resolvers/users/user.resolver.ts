import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Manager, PasswordLink } from '../../domain/users/user-management.service.js';
import { UserRole } from '../../domain/users/user.entity.js';
import { Scope } from '../../domain/tokens/scopes.js';
import { PUBLIC } from '../../server/auth.js';
import type { RequestContext } from '../../server/context.js';
import { actorOf } from '../common/actor.js';
import { connectionOf, type Page } from '../common/connection.js';
import { pageArgs, toConnection } from '../common/pagination.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';
import { OperatorType, toOperator } from './operator.type.js';

@ObjectType('PasswordLink', { description: 'A one-time link to set a password: shown once, single use, expiring.' })
class PasswordLinkType {
  @Field(() => String, { description: 'The secret (`idp_…`); stored only hashed.' })
  token!: string;

  @Field(() => String, { description: 'The console path that sets the password, with the token in its fragment.' })
  path!: string;

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType('OperatorWithLink')
class OperatorWithLinkType {
  @Field(() => OperatorType)
  operator!: OperatorType;

  @Field(() => PasswordLinkType)
  link!: PasswordLinkType;
}

@InputType()
class InviteOperatorInput {
  @Field(() => String)
  email!: string;

  @Field(() => UserRole)
  role!: UserRole;
}

const OperatorConnection = connectionOf(OperatorType, 'Operator');

/** Who is managing: an OWNER operator manages owners too; an ADMIN or a partner token does not. */
function managerOf(ctx: RequestContext): Manager {
  const { principal } = tenantScope(ctx);
  return { actor: actorOf(principal), isOwner: principal.kind === 'user' && principal.role === UserRole.OWNER };
}

const withLink = (r: { user: Parameters<typeof toOperator>[0]; link: PasswordLink }): OperatorWithLinkType => ({ operator: toOperator(r.user), link: r.link });

/** Operator management (users:manage: OWNER and ADMIN), and setting a password through a one-time link. */
@Resolver()
export class UserResolver {
  @Authorized(Scope.USERS_MANAGE)
  @Query(() => OperatorConnection, { description: "The tenant's operators, newest first." })
  async operators(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<OperatorType>> {
    const page = await ctx.services.users.list(tenantScope(ctx).em, pageArgs(first, after, 200));
    return toConnection(page, (u) => u.createdAt, toOperator);
  }

  @Authorized(Scope.USERS_MANAGE)
  @Mutation(() => OperatorWithLinkType, { description: 'Invites an operator by email: the answer carries their one-time set-password link (no mail is sent).' })
  async inviteOperator(@Ctx() ctx: RequestContext, @Arg('input', () => InviteOperatorInput) input: InviteOperatorInput): Promise<OperatorWithLinkType> {
    const { em, tenantId } = tenantScope(ctx);
    return withLink(await ctx.services.users.invite(em, tenantId, managerOf(ctx), input));
  }

  @Authorized(Scope.USERS_MANAGE)
  @Mutation(() => OperatorType, { description: "Changes an operator's role (their sign-ins end). Only an owner grants or takes OWNER; the last active owner stays one." })
  async changeOperatorRole(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('role', () => UserRole) role: UserRole): Promise<OperatorType> {
    const { em, tenantId } = tenantScope(ctx);
    return toOperator(await ctx.services.users.changeRole(em, tenantId, managerOf(ctx), parseId(id, 'id'), role));
  }

  @Authorized(Scope.USERS_MANAGE)
  @Mutation(() => OperatorType, { description: 'Disables an operator: their refresh tokens are revoked and live subscriptions closed at once.' })
  async disableOperator(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<OperatorType> {
    const { em, tenantId } = tenantScope(ctx);
    return toOperator(await ctx.services.users.disable(em, tenantId, managerOf(ctx), parseId(id, 'id')));
  }

  @Authorized(Scope.USERS_MANAGE)
  @Mutation(() => OperatorType, { description: 'Enables a disabled operator again (they sign in anew).' })
  async enableOperator(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<OperatorType> {
    const { em, tenantId } = tenantScope(ctx);
    return toOperator(await ctx.services.users.enable(em, tenantId, managerOf(ctx), parseId(id, 'id')));
  }

  @Authorized(Scope.USERS_MANAGE)
  @Mutation(() => OperatorWithLinkType, { description: 'A one-time link (valid one hour) for the operator to set a new password.' })
  async resetOperatorPassword(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<OperatorWithLinkType> {
    const { em, tenantId } = tenantScope(ctx);
    return withLink(await ctx.services.users.resetPassword(em, tenantId, managerOf(ctx), parseId(id, 'id')));
  }

  @Authorized(PUBLIC)
  @Mutation(() => OperatorType, { description: "Sets a password through a one-time link (accepting an invitation or a reset); the operator's sign-ins end." })
  async setPassword(@Ctx() ctx: RequestContext, @Arg('token', () => String) token: string, @Arg('password', () => String) password: string): Promise<OperatorType> {
    return toOperator(await ctx.services.users.setPassword(token, password));
  }
}
