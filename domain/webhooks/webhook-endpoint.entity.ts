import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';

const WebhookEndpointSchema = defineEntity({
  name: 'WebhookEndpoint',
  filters: tenantFilter(),
  indexes: [{ name: 'webhook_endpoint_tenant_created_idx', properties: ['tenant', 'createdAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    url: p.string().length(2048),
    /** Event types this endpoint receives (`session.decided`, …). */
    eventTypes: p.json<string[]>(),
    /** Only events of this scenario's sessions, when set. */
    scenarioId: p.uuid().nullable(),
    description: p.string().length(200).nullable(),
    /** Statuses and codes only: no names, numbers, dates of birth (reference 001 "no personal data"). */
    noPersonalData: p.boolean().default(false),
    /** Body sent as an A256GCM envelope keyed from the secret (docs/WEBHOOKS.md). */
    encryptBody: p.boolean().default(false),
    enabled: p.boolean().default(true),
    disabledReason: p.string().length(200).nullable(),
    /** The signing secret, sealed with the tenant's webhook key (TenantCipher, bound to this endpoint). */
    sealedSecret: p.blob().hidden(),
    /** The secret before the last rotation: still signs until `previousSecretUntil` (rotation overlap). */
    sealedPreviousSecret: p.blob().nullable().hidden(),
    previousSecretUntil: p.datetime().nullable(),
    /** Start of the current run of failed attempts; cleared by a success. Five days of it disable the endpoint. */
    failingSince: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** Where a tenant's backend wants to be told of events (Standard Webhooks receiver). */
export class WebhookEndpoint extends WebhookEndpointSchema.class {}
WebhookEndpointSchema.setClass(WebhookEndpoint);
