import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { Scenario } from '../scenarios/scenario.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/** Outbox state of one webhook. */
export enum DeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  DEAD = 'DEAD',
}

const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  filters: tenantFilter(),
  indexes: [
    // The worker takes due rows with FOR UPDATE SKIP LOCKED ordered by next attempt.
    { name: 'webhook_delivery_due_idx', properties: ['status', 'nextAttemptAt'] },
    { name: 'webhook_delivery_tenant_created_idx', properties: ['tenant', 'createdAt'] },
  ],
  properties: {
    /** Also the `webhook-id` header (as `msg_<id>`): the receiver's deduplication key, the same on every retry. */
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    /** The target: an endpoint, or a scenario's own callback (reference 001), one of the two. */
    endpoint: () => p.manyToOne(WebhookEndpoint).ref().nullable().deleteRule('cascade'),
    callbackScenario: () => p.manyToOne(Scenario).ref().nullable().deleteRule('cascade'),
    /** The scenario callback's URL when the event was written; an endpoint's URL is read at each attempt. */
    url: p.string().length(2048).nullable(),
    /** One id per event, shared by every delivery of it: the payload's correlation id. */
    eventId: p.uuid(),
    eventType: p.string().length(64),
    sessionId: p.uuid().nullable(),
    payload: p.json<Record<string, unknown>>(),
    encryptBody: p.boolean().default(false),
    status: p.enum(() => DeliveryStatus).default(DeliveryStatus.PENDING),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    /** Held by the worker that claimed the row; a result is written back only while it still holds. */
    leaseToken: p.uuid().nullable(),
    leaseExpiresAt: p.datetime().nullable(),
    lastStatusCode: p.integer().nullable(),
    lastError: p.string().length(500).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    deliveredAt: p.datetime().nullable(),
  },
});

/**
 * A webhook waiting to be sent, or sent: written in the same transaction as the change it reports (transactional
 * outbox), so a decision is never committed without its notification, nor notified without being committed.
 */
export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);
