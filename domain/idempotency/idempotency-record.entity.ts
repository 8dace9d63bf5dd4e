import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';

const IdempotencyRecordSchema = defineEntity({
  name: 'IdempotencyRecord',
  filters: tenantFilter(),
  uniques: [{ name: 'idempotency_record_tenant_key_unique', properties: ['tenant', 'key'] }],
  indexes: [{ name: 'idempotency_record_created_idx', properties: ['createdAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    key: p.string().length(200),
    /** SHA-256 of the operation and its variables: a key replayed with another request is refused. */
    requestHash: p.string().length(64),
    /** Null while the first request runs. */
    response: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** The stored answer of a creating mutation sent with an `Idempotency-Key` header. */
export class IdempotencyRecord extends IdempotencyRecordSchema.class {}
IdempotencyRecordSchema.setClass(IdempotencyRecord);
