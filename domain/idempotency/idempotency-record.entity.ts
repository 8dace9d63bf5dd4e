import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';

const IdempotencyRecordSchema = defineEntity({
  name: 'IdempotencyRecord',
  filters: tenantFilter(),
  uniques: [{ name: 'idempotency_record_tenant_principal_key_unique', properties: ['tenant', 'principal', 'key'] }],
  indexes: [{ name: 'idempotency_record_created_idx', properties: ['createdAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    /** Whose key it is (`token:<id>`, `user:<id>`, `applicant:<session id>`): another caller's equal key is its own. */
    principal: p.string().length(80),
    key: p.string().length(200),
    /** SHA-256 of the operation and its variables: a key replayed with another request is refused. */
    requestHash: p.string().length(64),
    /**
     * The answer, sealed with the tenant's idempotency key (it can hold secrets: a new token's secret, link and
     * applicant tokens). Null while the first request runs.
     */
    sealedResponse: p.blob().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** The stored answer of a creating mutation sent with an `Idempotency-Key` header. */
export class IdempotencyRecord extends IdempotencyRecordSchema.class {}
IdempotencyRecordSchema.setClass(IdempotencyRecord);
