import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { KycLink } from '../../domain/kyc-links/kyc-link.entity.js';
import { Scope } from '../../domain/tokens/scopes.js';
import { PUBLIC } from '../../server/auth.js';
import { contextFor, type RequestContext } from '../../server/context.js';
import type { Page } from '../common/connection.js';
import { pageArgs, toConnection } from '../common/pagination.js';
import { keysetPage } from '../../domain/database/keyset-page.js';
import type { Row } from '../../domain/database/read-rows.js';
import { MAX_LINKS_PER_BATCH } from '../../domain/kyc-links/kyc-link.service.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';
import { toSessionType } from '../sessions/session.mapper.js';
import { CreateSessionPayload } from '../sessions/session.type.js';
import { KycLinkBatch, KycLinkConnection, KycLinkType } from './kyc-link.type.js';

function toKycLinkType(l: Row<KycLink>): KycLinkType {
  return {
    id: l.id,
    batchId: l.batchId,
    scenarioId: l.scenario.id,
    status: l.status,
    expiresAt: l.expiresAt,
    openedAt: l.openedAt ?? null,
    sessionId: l.sessionId ?? null,
    createdAt: l.createdAt,
  };
}

/** One-time KYC links. */
@Resolver()
export class KycLinkResolver {
  @Authorized(Scope.LINKS_WRITE)
  @Mutation(() => KycLinkBatch, { description: 'Creates 1 to 1000 one-time links for a scenario; their tokens are in this answer only.' })
  async createKycLinks(
    @Ctx() ctx: RequestContext,
    @Arg('scenarioId', () => ID) scenarioId: string,
    @Arg('count', () => Int) count: number,
    @Arg('ttlMinutes', () => Int, { defaultValue: 60 * 24 * 7 }) ttlMinutes: number,
  ): Promise<KycLinkBatch> {
    const { em, tenantId } = tenantScope(ctx);
    const scenario = scenarioId.startsWith('sch_') ? { schemaId: scenarioId } : { id: parseId(scenarioId, 'scenarioId') };
    const { batchId, links } = await ctx.services.kycLinks.createBatch(em, tenantId, { scenario, count, ttlMinutes });
    return { batchId, links: links.map(({ link, token }) => ({ link: toKycLinkType(link), token })) };
  }

  @Authorized(Scope.LINKS_WRITE)
  @Query(() => KycLinkConnection, { description: "The tenant's links, newest first." })
  async kycLinks(
    @Ctx() ctx: RequestContext,
    @Arg('batchId', () => ID, { nullable: true }) batchId: string | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<KycLinkType>> {
    const { em } = tenantScope(ctx);
    const where = batchId ? { batchId: parseId(batchId, 'batchId') } : {};
    const page = await keysetPage(em, KycLink, { where, sortField: 'createdAt', ...pageArgs(first, after, MAX_LINKS_PER_BATCH) });
    return toConnection(page, (l) => l.createdAt, toKycLinkType);
  }

  @Authorized(PUBLIC)
  @Mutation(() => CreateSessionPayload, { description: "Opens a one-time link (the applicant's widget): the session and an applicant token." })
  async openKycLink(@Ctx() ctx: RequestContext, @Arg('token', () => String) token: string): Promise<CreateSessionPayload> {
    const { session, tenantId } = await ctx.services.kycLinks.open(token, ctx.client);
    // The rest of this answer (steps, scenario) is read as the applicant the link just made.
    Object.assign(ctx, contextFor({ kind: 'applicant', tenantId, sessionId: session.id, expiresAt: session.frozenAt }, ctx.services, ctx.logger, ctx.client));
    const applicantToken = ctx.services.applicantTokens.sign({ sessionId: session.id, tenantId, expiresAt: session.frozenAt });
    return { session: toSessionType(session), applicantToken };
  }
}
