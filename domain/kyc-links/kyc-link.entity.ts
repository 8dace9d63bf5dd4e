import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { Scenario } from '../scenarios/scenario.entity.js';

/** Life of a one-time link (reference 001). */
export enum KycLinkStatus {
  CREATED = 'CREATED',
  OPENED = 'OPENED',
  COMPLETED = 'COMPLETED',
  EXPIRED = 'EXPIRED',
}

const KycLinkSchema = defineEntity({
  name: 'KycLink',
  filters: tenantFilter(),
  indexes: [{ name: 'kyc_link_tenant_batch_idx', properties: ['tenant', 'batchId'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    scenario: () => p.manyToOne(Scenario).ref().deleteRule('cascade'),
    /** Links are created in batches of 1..1000; the batch groups them for listing and export. */
    batchId: p.uuid(),
    /** SHA-256 of the link's token; the token is only in the URL handed to the applicant. */
    tokenHash: p.string().length(64).unique().hidden(),
    status: p.enum(() => KycLinkStatus).default(KycLinkStatus.CREATED),
    expiresAt: p.datetime(),
    openedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    /** Session opened through this link (set once, by id, to avoid a cycle between link and session). */
    sessionId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A one-time link that lets an applicant start a session without the tenant's backend. */
export class KycLink extends KycLinkSchema.class {}
KycLinkSchema.setClass(KycLink);
