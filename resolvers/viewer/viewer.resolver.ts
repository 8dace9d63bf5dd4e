import { Authorized, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { Tenant } from '../../domain/tenants/tenant.entity.js';
import { APPLICANT } from '../../server/auth.js';
import type { RequestContext } from '../../server/context.js';
import { tenantScope } from '../common/tenant-scope.js';

@ObjectType('Tenant')
export class TenantType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  slug!: string;
}

@ObjectType('Viewer', { description: 'Who is calling, and what they may do.' })
export class ViewerType {
  @Field(() => String, { description: 'TOKEN, USER or APPLICANT.' })
  kind!: string;

  @Field(() => ID)
  id!: string;

  @Field(() => [String])
  scopes!: string[];

  @Field(() => String, { nullable: true, description: "An operator's role." })
  role!: string | null;
}

/** `viewer` and `tenant`. */
@Resolver()
export class ViewerResolver {
  @Authorized(APPLICANT)
  @Query(() => ViewerType, { description: 'The caller: partner token, operator or applicant.' })
  viewer(@Ctx() ctx: RequestContext): ViewerType {
    const { principal } = tenantScope(ctx);
    switch (principal.kind) {
      case 'token':
        return { kind: 'TOKEN', id: principal.tokenId, scopes: [...principal.scopes], role: null };
      case 'user':
        return { kind: 'USER', id: principal.userId, scopes: [...principal.scopes], role: principal.role };
      case 'applicant':
        return { kind: 'APPLICANT', id: principal.sessionId, scopes: [], role: null };
    }
  }

  @Authorized()
  @Query(() => TenantType, { description: "The caller's tenant." })
  async tenant(@Ctx() ctx: RequestContext): Promise<TenantType> {
    const { em, tenantId } = tenantScope(ctx);
    const tenant = await em.findOneOrFail(Tenant, tenantId);
    return { id: tenant.id, name: tenant.name, slug: tenant.slug };
  }
}
