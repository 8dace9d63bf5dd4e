import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';

const WebhookAttemptSchema = defineEntity({
  name: 'WebhookAttempt',
  filters: tenantFilter(),
  indexes: [{ name: 'webhook_attempt_delivery_idx', properties: ['delivery', 'attemptedAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    delivery: () => p.manyToOne(WebhookDelivery).ref().deleteRule('cascade'),
    attemptedAt: p.datetime(),
    /** The receiver's HTTP status; null when no answer came (refused, timeout, connection error). */
    statusCode: p.integer().nullable(),
    latencyMs: p.integer(),
    error: p.string().length(500).nullable(),
    /** At most the first 1 KB of the answer's body. */
    responseExcerpt: p.text().nullable(),
  },
});

/** One HTTP attempt of a delivery, as logged for the tenant. */
export class WebhookAttempt extends WebhookAttemptSchema.class {}
WebhookAttemptSchema.setClass(WebhookAttempt);
