import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../server/context.js';
import { tenantScope } from '../common/tenant-scope.js';
import { toCaptureType } from './session.mapper.js';
import { CaptureType, SessionStepType } from './session.type.js';

/** Relations of a session step. */
@Resolver(() => SessionStepType)
export class SessionStepResolver {
  @FieldResolver(() => [CaptureType], { description: "The step's uploads, oldest first." })
  async captures(@Root() step: SessionStepType, @Ctx() ctx: RequestContext): Promise<CaptureType[]> {
    return (await tenantScope(ctx).loaders.stepCaptures.load(step.id)).map(toCaptureType);
  }
}
