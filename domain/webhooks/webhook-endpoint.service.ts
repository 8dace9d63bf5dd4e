import { randomUUID } from 'node:crypto';
import type { EntityManager, FilterQuery } from '@mikro-orm/sql';
import { keysetPage, type KeysetCursor, type KeysetPage } from '../database/keyset-page.js';
import { readRows, type Row } from '../database/read-rows.js';
import { WebhookAttempt } from './webhook-attempt.entity.js';
import { AuditService, type Actor } from '../audit/audit.service.js';
import { Scenario } from '../scenarios/scenario.entity.js';
import { ScenarioError } from '../scenarios/scenario.errors.js';
import { resolveUrl, type UrlPolicy } from './url-guard.js';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookError } from './webhook.errors.js';
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from './webhook-payload.js';
import { mintWebhookSecret, type WebhookSecrets } from './webhook-secret.js';

/** What a tenant sets on an endpoint. */
export interface EndpointInput {
  url: string;
  eventTypes: string[];
  scenarioId?: string | null;
  description?: string | null;
  noPersonalData?: boolean;
  encryptBody?: boolean;
}

/** What `webhookDeliveries` filters on; every field optional. */
export interface DeliveryFilter {
  endpointId?: string;
  sessionId?: string;
  status?: DeliveryStatus;
  eventType?: string;
}

/** An endpoint and, after creation or rotation only, its secret in clear. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

/** Endpoint settings the service needs from configuration. */
export interface EndpointSettings {
  policy: UrlPolicy;
  /** How long the old secret keeps signing after a rotation. @default 24 h */
  secretOverlapMs: number;
}

/**
 * Webhook endpoints: created, changed, disabled, deleted, their secret rotated (audited, in the change's unit of
 * work), and deliveries sent again. URLs are checked against the SSRF policy here and again at every attempt.
 */
export class WebhookEndpointService {
  constructor(
    private readonly secrets: WebhookSecrets,
    private readonly settings: EndpointSettings,
    private readonly onEnqueued: () => void = () => {},
    private readonly audit = new AuditService(),
  ) {}

  async list(em: EntityManager): Promise<WebhookEndpoint[]> {
    return em.find(WebhookEndpoint, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  async create(em: EntityManager, tenantId: string, input: EndpointInput, actor: Actor): Promise<EndpointWithSecret> {
    await this.check(em, input);
    const secret = mintWebhookSecret();
    const id = randomUUID();
    const endpoint = em.create(WebhookEndpoint, {
      id,
      tenant: tenantId,
      url: input.url,
      eventTypes: [...new Set(input.eventTypes)],
      scenarioId: input.scenarioId ?? null,
      description: input.description ?? null,
      noPersonalData: input.noPersonalData ?? false,
      encryptBody: input.encryptBody ?? false,
      sealedSecret: this.secrets.seal(tenantId, id, secret),
    });
    this.audited(em, tenantId, actor, 'webhook.create', endpoint);
    await em.flush();
    return { endpoint, secret };
  }

  async update(em: EntityManager, tenantId: string, id: string, input: Partial<EndpointInput> & { enabled?: boolean }, actor: Actor): Promise<WebhookEndpoint> {
    const endpoint = await this.get(em, id);
    const merged = { url: input.url ?? endpoint.url, eventTypes: input.eventTypes ?? endpoint.eventTypes, scenarioId: input.scenarioId === undefined ? endpoint.scenarioId : input.scenarioId };
    await this.check(em, merged);
    Object.assign(endpoint, { ...merged, eventTypes: [...new Set(merged.eventTypes)] });
    if (input.description !== undefined) endpoint.description = input.description;
    if (input.noPersonalData !== undefined) endpoint.noPersonalData = input.noPersonalData;
    if (input.encryptBody !== undefined) endpoint.encryptBody = input.encryptBody;
    if (input.enabled !== undefined) {
      endpoint.enabled = input.enabled;
      endpoint.disabledReason = input.enabled ? null : 'disabled by the tenant';
      if (input.enabled) endpoint.failingSince = null;
    }
    this.audited(em, tenantId, actor, input.enabled === false ? 'webhook.disable' : 'webhook.update', endpoint);
    await em.flush();
    return endpoint;
  }

  async delete(em: EntityManager, tenantId: string, id: string, actor: Actor): Promise<void> {
    const endpoint = await this.get(em, id);
    this.audited(em, tenantId, actor, 'webhook.delete', endpoint);
    em.remove(endpoint);
    await em.flush();
  }

  /** A new secret; the previous one keeps signing (both signatures sent) for the configured overlap. */
  async rotateSecret(em: EntityManager, tenantId: string, id: string, actor: Actor, now = new Date()): Promise<EndpointWithSecret> {
    const endpoint = await this.get(em, id);
    const secret = mintWebhookSecret();
    endpoint.sealedPreviousSecret = endpoint.sealedSecret;
    endpoint.previousSecretUntil = new Date(now.getTime() + this.settings.secretOverlapMs);
    endpoint.sealedSecret = this.secrets.seal(tenantId, endpoint.id, secret);
    this.audited(em, tenantId, actor, 'webhook.rotate_secret', endpoint);
    await em.flush();
    return { endpoint, secret };
  }

  /** Queues a `webhook.test` delivery to the endpoint, through the same worker as every other. */
  async sendTest(em: EntityManager, tenantId: string, id: string): Promise<WebhookDelivery> {
    const endpoint = await this.get(em, id);
    if (!endpoint.enabled) throw new WebhookError('INVALID_WEBHOOK', 'the endpoint is disabled', { argument: 'id' });
    const eventId = randomUUID();
    const now = new Date();
    const delivery = em.create(WebhookDelivery, {
      tenant: tenantId,
      endpoint,
      eventId,
      eventType: TEST_EVENT_TYPE,
      payload: { type: TEST_EVENT_TYPE, correlationId: eventId, createdAt: now.toISOString(), endpointId: endpoint.id },
      encryptBody: endpoint.encryptBody,
      nextAttemptAt: now,
    });
    await em.flush();
    this.onEnqueued();
    return delivery;
  }

  /** Sends a delivery again from its first attempt (same `webhook-id`), dead or delivered. */
  async redeliver(em: EntityManager, deliveryId: string, now = new Date()): Promise<WebhookDelivery> {
    const delivery = await em.findOne(WebhookDelivery, { id: deliveryId }, { populate: ['endpoint'] });
    if (!delivery) throw new WebhookError('WEBHOOK_DELIVERY_NOT_FOUND', 'no such delivery');
    if (delivery.endpoint && !delivery.endpoint.getEntity().enabled) throw new WebhookError('INVALID_WEBHOOK', 'the endpoint is disabled: enable it first');
    delivery.status = DeliveryStatus.PENDING;
    delivery.attempts = 0;
    delivery.nextAttemptAt = now;
    await em.flush();
    this.onEnqueued();
    return delivery;
  }

  /** A page of the delivery log, newest first, with every attempt of the page's deliveries (one query for all). */
  async deliveries(
    em: EntityManager,
    filter: DeliveryFilter,
    page: { first: number; after?: KeysetCursor },
  ): Promise<{ page: KeysetPage<Row<WebhookDelivery>>; attempts: Map<string, Row<WebhookAttempt>[]> }> {
    const where: FilterQuery<WebhookDelivery> = {
      ...(filter.endpointId ? { endpoint: filter.endpointId } : {}),
      ...(filter.sessionId ? { sessionId: filter.sessionId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.eventType ? { eventType: filter.eventType } : {}),
    };
    const found = await keysetPage(em, WebhookDelivery, { where, sortField: 'createdAt', ...page });
    const attempts = new Map<string, Row<WebhookAttempt>[]>();
    if (found.rows.length > 0) {
      const rows = await readRows(em, WebhookAttempt, { delivery: { $in: found.rows.map((d) => d.id) } }, { orderBy: { attemptedAt: 'asc', id: 'asc' } });
      for (const a of rows) attempts.set(a.delivery.id, [...(attempts.get(a.delivery.id) ?? []), a]);
    }
    return { page: found, attempts };
  }

  async get(em: EntityManager, id: string): Promise<WebhookEndpoint> {
    const endpoint = await em.findOne(WebhookEndpoint, { id });
    if (!endpoint) throw new WebhookError('WEBHOOK_ENDPOINT_NOT_FOUND', 'no such webhook endpoint');
    return endpoint;
  }

  private async check(em: EntityManager, input: Pick<EndpointInput, 'url' | 'eventTypes' | 'scenarioId'>): Promise<void> {
    if (input.eventTypes.length === 0) throw new WebhookError('UNKNOWN_EVENT_TYPE', 'an endpoint needs at least one event type', { known: WEBHOOK_EVENT_TYPES });
    const unknown = input.eventTypes.filter((t) => !WEBHOOK_EVENT_TYPES.includes(t));
    if (unknown.length) throw new WebhookError('UNKNOWN_EVENT_TYPE', `unknown event type(s): ${unknown.join(', ')}`, { unknown, known: WEBHOOK_EVENT_TYPES });
    if (input.scenarioId && !(await em.findOne(Scenario, { id: input.scenarioId }))) throw new ScenarioError('SCENARIO_NOT_FOUND', 'no such scenario');
    await resolveUrl(input.url, this.settings.policy);
  }

  private audited(em: EntityManager, tenantId: string, actor: Actor, action: string, endpoint: WebhookEndpoint): void {
    this.audit.record(em, {
      tenantId,
      actor,
      action,
      objectType: 'WebhookEndpoint',
      objectId: endpoint.id,
      details: { url: endpoint.url, eventTypes: endpoint.eventTypes, scenarioId: endpoint.scenarioId, enabled: endpoint.enabled },
    });
  }
}
