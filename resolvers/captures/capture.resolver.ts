import GraphQLUpload, { type FileUpload } from 'graphql-upload/GraphQLUpload.mjs';
import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Scope } from '../../domain/tokens/scopes.js';
import { APPLICANT } from '../../server/auth.js';
import type { RequestContext } from '../../server/context.js';
import { ApiError, ApiErrorCode } from '../../server/errors.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';
import { toSessionStepType, toSessionType } from '../sessions/session.mapper.js';
import { SessionStepType, SessionType } from '../sessions/session.type.js';
import { readUpload } from './upload.js';

@ObjectType({ description: 'The result of one upload: the evaluated step and the session (decided once every step passed).' })
export class UploadCapturePayload {
  @Field(() => ID)
  captureId!: string;

  @Field(() => SessionStepType)
  step!: SessionStepType;

  @Field(() => SessionType)
  session!: SessionType;
}

/** Uploads (GraphQL multipart request spec). */
@Resolver()
export class CaptureResolver {
  @Authorized(Scope.SESSIONS_WRITE, APPLICANT)
  @Mutation(() => UploadCapturePayload, {
    description: 'Uploads an image (JPEG or PNG) for a step; the step is evaluated at once. An applicant uploads to its own session only.',
  })
  async uploadCapture(
    @Ctx() ctx: RequestContext,
    @Arg('sessionId', () => ID) sessionId: string,
    @Arg('step', () => Int, { description: 'Step position, from 0.' }) step: number,
    @Arg('file', () => GraphQLUpload) file: Promise<FileUpload>,
  ): Promise<UploadCapturePayload> {
    const { tenantId, principal } = tenantScope(ctx);
    const id = parseId(sessionId, 'sessionId');
    if (principal.kind === 'applicant' && principal.sessionId !== id) throw new ApiError(ApiErrorCode.NOT_FOUND, 'no such session');
    const image = await readUpload(file, ctx.services.limits.maxUploadBytes);
    const result = await ctx.services.captures.addCapture({ tenantId, sessionId: id, position: step, image });
    return { captureId: result.capture.id, step: toSessionStepType(result.step), session: toSessionType(result.session) };
  }

  @Authorized(Scope.SESSIONS_WRITE, APPLICANT)
  @Mutation(() => SessionType, {
    description: 'The applicant is done: decides a session whose every step has an upload, failed steps included.',
  })
  async submitSession(@Ctx() ctx: RequestContext, @Arg('sessionId', () => ID) sessionId: string): Promise<SessionType> {
    const { tenantId, principal } = tenantScope(ctx);
    const id = parseId(sessionId, 'sessionId');
    if (principal.kind === 'applicant' && principal.sessionId !== id) throw new ApiError(ApiErrorCode.NOT_FOUND, 'no such session');
    return toSessionType(await ctx.services.captures.submit({ tenantId, sessionId: id }));
  }
}
