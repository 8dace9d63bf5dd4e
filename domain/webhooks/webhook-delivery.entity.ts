import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';

/** Outbox state of one webhook. */
export enum DeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
  DEAD = 'DEAD',
}

const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  filters: tenantFilter(),
  indexes: [
    // The sender takes due rows with FOR UPDATE SKIP LOCKED ordered by next attempt.
    { name: 'webhook_delivery_due_idx', properties: ['status', 'nextAttemptAt'] },
    { name: 'webhook_delivery_tenant_created_idx', properties: ['tenant', 'createdAt'] },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    sessionId: p.uuid().nullable(),
    event: p.string().length(64),
    url: p.string().length(2048),
    payload: p.json<Record<string, unknown>>(),
    signature: p.string().length(128),
    status: p.enum(() => DeliveryStatus).default(DeliveryStatus.PENDING),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    lastResponse: p.json<{ status?: number; body?: string; error?: string }>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    deliveredAt: p.datetime().nullable(),
  },
});

/**
 * A signed webhook waiting to be sent: written in the same transaction as the change it reports (transactional
 * outbox), so a decision is never committed without its notification, nor notified without being committed.
 */
export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);
