import { defineEntity, p } from '@mikro-orm/core';
import { ActorType } from '../audit/audit-entry.entity.js';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';

/** One erased capture as the tombstone remembers it: no image, no text read from it, only its identity and hash. */
export interface ErasedCapture {
  id: string;
  /** SHA-256 of the uploaded image, so a tenant can prove which file was erased without keeping it. */
  sha256: string;
  byteSize: number;
  createdAt: string;
}

const SessionTombstoneSchema = defineEntity({
  name: 'SessionTombstone',
  filters: tenantFilter(),
  indexes: [{ name: 'session_tombstone_tenant_deleted_idx', properties: ['tenant', 'deletedAt'] }],
  properties: {
    /** The erased session's id. */
    id: p.uuid().primary(),
    ...tenantOwned(),
    /** By id only: the scenario may be archived or deleted later, the tombstone stays. */
    scenarioId: p.uuid(),
    scenarioVersion: p.integer(),
    /** Status of the session when it was erased. */
    status: p.string().length(32),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    deletedAt: p.datetime(),
    /** Who erased it (an operator, a token); null with `policy` when a retention policy did. */
    deletedByType: p.enum(() => ActorType).nullable(),
    deletedById: p.string().length(64).nullable(),
    /** The retention policy that erased it, e.g. `dataRetentionDays=30`. */
    policy: p.string().length(200).nullable(),
    captures: p.json<ErasedCapture[]>(),
    faceCount: p.integer(),
    faceListEntryCount: p.integer(),
  },
});

/**
 * What is left of an erased session (GDPR art. 17, issue 20): ids, times, image hashes and who erased it, so the
 * tenant can account for the erasure without keeping any of the personal data.
 */
export class SessionTombstone extends SessionTombstoneSchema.class {}
SessionTombstoneSchema.setClass(SessionTombstone);
