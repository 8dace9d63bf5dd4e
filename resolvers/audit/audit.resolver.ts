import { BoundedJSONObject } from '../common/json-object.scalar.js';
import { Arg, Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { ActorType, AuditEntry } from '../../domain/audit/audit-entry.entity.js';
import { keysetPage } from '../../domain/database/keyset-page.js';
import { Scope } from '../../domain/tokens/scopes.js';
import type { RequestContext } from '../../server/context.js';
import { connectionOf, type Page } from '../common/connection.js';
import { pageArgs, toConnection } from '../common/pagination.js';
import { tenantScope } from '../common/tenant-scope.js';

registerEnumType(ActorType, { name: 'ActorType' });

@ObjectType('AuditEntry', { description: 'Who did what to which object, and when.' })
export class AuditEntryType {
  @Field(() => ID)
  id!: string;

  @Field(() => ActorType)
  actorType!: ActorType;

  @Field(() => String, { nullable: true })
  actorId!: string | null;

  @Field(() => String)
  action!: string;

  @Field(() => String)
  objectType!: string;

  @Field(() => String, { nullable: true })
  objectId!: string | null;

  @Field(() => BoundedJSONObject)
  details!: Record<string, unknown>;

  @Field(() => Date)
  createdAt!: Date;
}

const AuditConnection = connectionOf(AuditEntryType, 'AuditEntry');

/** The tenant's audit log. */
@Resolver()
export class AuditResolver {
  @Authorized(Scope.AUDIT_READ)
  @Query(() => AuditConnection, { description: 'The audit log, newest first; optionally about one object.' })
  async auditLog(
    @Ctx() ctx: RequestContext,
    @Arg('objectId', () => String, { nullable: true }) objectId: string | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<AuditEntryType>> {
    const { em } = tenantScope(ctx);
    const page = await keysetPage(em, AuditEntry, { where: objectId ? { objectId } : {}, sortField: 'createdAt', ...pageArgs(first, after, 200) });
    return toConnection(page, (a) => a.createdAt, (a) => ({
      id: a.id,
      actorType: a.actorType,
      actorId: a.actorId ?? null,
      action: a.action,
      objectType: a.objectType,
      objectId: a.objectId ?? null,
      details: a.details,
      createdAt: a.createdAt,
    }));
  }
}
