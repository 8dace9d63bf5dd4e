import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { PUBLIC } from '../../server/auth.js';
import type { RequestContext } from '../../server/context.js';
import { Health } from './health.type.js';

/** `health`: public, so load balancers and newcomers can probe a node without a token. */
@Resolver()
export class HealthResolver {
  @Authorized(PUBLIC)
  @Query(() => Health, { description: 'Liveness of this node and its database; needs no authentication.' })
  async health(@Ctx() ctx: RequestContext): Promise<Health> {
    return ctx.services.health.check(ctx.em);
  }
}
