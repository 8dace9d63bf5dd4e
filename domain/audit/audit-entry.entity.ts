import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';

/** Who acted. */
export enum ActorType {
  USER = 'USER',
  TOKEN = 'TOKEN',
  APPLICANT = 'APPLICANT',
  SYSTEM = 'SYSTEM',
}

const AuditEntrySchema = defineEntity({
  name: 'AuditEntry',
  filters: tenantFilter(),
  indexes: [{ name: 'audit_entry_tenant_created_idx', properties: ['tenant', 'createdAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    actorType: p.enum(() => ActorType),
    actorId: p.string().length(64).nullable(),
    /** Dotted verb, e.g. `token.create`, `session.review`, `facelist.add`. */
    action: p.string().length(64),
    objectType: p.string().length(64),
    objectId: p.string().length(64).nullable(),
    details: p.json<Record<string, unknown>>().onCreate(() => ({})),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** An append-only record of who did what to which object, and when. */
export class AuditEntry extends AuditEntrySchema.class {}
AuditEntrySchema.setClass(AuditEntry);
