import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Scope } from '../../domain/tokens/scopes.js';
import type { RequestContext } from '../../server/context.js';
import { SESSION_SUMMARY_PATH } from '../../server/session-summary.route.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';

/** A link that opens without credentials until it expires. */
@ObjectType('SignedDownload', { description: 'A short-lived link to a download; it is a credential: share it only with who may read the file.' })
export class SignedDownloadType {
  @Field(() => String, { description: "Path and query of the download, relative to the API's origin (GET it there)." })
  url!: string;

  @Field(() => Date)
  expiresAt!: Date;
}

/** The session summary for regulators (PDF). */
@Resolver()
export class SessionSummaryResolver {
  @Authorized(Scope.SESSIONS_READ)
  @Mutation(() => SignedDownloadType, {
    description: "A link to the session's PDF summary (decision and explanation, steps with images, OCR, MRZ, warnings, faces, audit trail), valid five minutes.",
  })
  async sessionSummaryPdf(@Ctx() ctx: RequestContext, @Arg('sessionId', () => ID) sessionId: string): Promise<SignedDownloadType> {
    const { em, tenantId } = tenantScope(ctx);
    const { token, expiresAt } = await ctx.services.sessionSummaries.link(em, tenantId, parseId(sessionId, 'sessionId'));
    return { url: `${SESSION_SUMMARY_PATH}?token=${encodeURIComponent(token)}`, expiresAt };
  }
}
