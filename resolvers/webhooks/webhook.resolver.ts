import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Row } from '../../domain/database/read-rows.js';
import { Scope } from '../../domain/tokens/scopes.js';
import type { WebhookAttempt } from '../../domain/webhooks/webhook-attempt.entity.js';
import type { WebhookDelivery } from '../../domain/webhooks/webhook-delivery.entity.js';
import type { WebhookEndpoint } from '../../domain/webhooks/webhook-endpoint.entity.js';
import type { RequestContext } from '../../server/context.js';
import { actorOf } from '../common/actor.js';
import type { Page } from '../common/connection.js';
import { pageArgs, toConnection } from '../common/pagination.js';
import { parseId, tenantScope } from '../common/tenant-scope.js';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryConnection,
  WebhookDeliveryFilter,
  WebhookDeliveryType,
  WebhookEndpointType,
  WebhookEndpointWithSecret,
} from './webhook.type.js';

const MAX_DELIVERIES_PER_PAGE = 100;

function toEndpointType(e: WebhookEndpoint): WebhookEndpointType {
  return {
    id: e.id,
    url: e.url,
    eventTypes: e.eventTypes,
    scenarioId: e.scenarioId ?? null,
    description: e.description ?? null,
    noPersonalData: e.noPersonalData,
    encryptBody: e.encryptBody,
    enabled: e.enabled,
    disabledReason: e.disabledReason ?? null,
    previousSecretValidUntil: e.previousSecretUntil ?? null,
    failingSince: e.failingSince ?? null,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function toDeliveryType(d: Row<WebhookDelivery>, attempts: readonly Row<WebhookAttempt>[] = []): WebhookDeliveryType {
  return {
    id: d.id,
    webhookId: `msg_${d.id.replaceAll('-', '')}`,
    endpointId: d.endpoint?.id ?? null,
    callbackScenarioId: d.callbackScenario?.id ?? null,
    eventType: d.eventType,
    eventId: d.eventId,
    sessionId: d.sessionId ?? null,
    payload: d.payload,
    status: d.status,
    attemptCount: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt ?? null,
    attempts: attempts.map((a) => ({ attemptedAt: a.attemptedAt, statusCode: a.statusCode ?? null, latencyMs: a.latencyMs, error: a.error ?? null, responseExcerpt: a.responseExcerpt ?? null })),
  };
}

/** Without nulls: GraphQL's "not given" and "null" both leave a setting as it is, except `scenarioId: null` (all scenarios). */
function present<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}

/** Webhook endpoints and their delivery log (issue 20). */
@Resolver()
export class WebhookResolver {
  @Authorized(Scope.WEBHOOKS_READ)
  @Query(() => [WebhookEndpointType], { description: "The tenant's webhook endpoints (never their secrets), oldest first." })
  async webhookEndpoints(@Ctx() ctx: RequestContext): Promise<WebhookEndpointType[]> {
    const { em } = tenantScope(ctx);
    return (await ctx.services.webhooks.list(em)).map(toEndpointType);
  }

  @Authorized(Scope.WEBHOOKS_READ)
  @Query(() => WebhookDeliveryConnection, { description: 'The delivery log, newest first, each delivery with its attempts.' })
  async webhookDeliveries(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => WebhookDeliveryFilter, { nullable: true }) filter: WebhookDeliveryFilter | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<WebhookDeliveryType>> {
    const { em } = tenantScope(ctx);
    const { page, attempts } = await ctx.services.webhooks.deliveries(
      em,
      {
        endpointId: filter?.endpointId ? parseId(filter.endpointId, 'filter.endpointId') : undefined,
        sessionId: filter?.sessionId ? parseId(filter.sessionId, 'filter.sessionId') : undefined,
        status: present(filter?.status),
        eventType: present(filter?.eventType),
      },
      pageArgs(first, after, MAX_DELIVERIES_PER_PAGE),
    );
    return toConnection(page, (d) => d.createdAt, (d) => toDeliveryType(d, attempts.get(d.id)));
  }

  @Authorized(Scope.WEBHOOKS_WRITE)
  @Mutation(() => WebhookEndpointWithSecret, { description: 'Adds an endpoint; its signing secret is in this answer only.' })
  async createWebhookEndpoint(@Ctx() ctx: RequestContext, @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    const { em, tenantId, principal } = tenantScope(ctx);
    const { endpoint, secret } = await ctx.services.webhooks.create(
      em,
      tenantId,
      {
        url: input.url,
        eventTypes: input.eventTypes,
        scenarioId: input.scenarioId ? parseId(input.scenarioId, 'scenarioId') : null,
        description: input.description ?? null,
        noPersonalData: present(input.noPersonalData),
        encryptBody: present(input.encryptBody),
      },
      actorOf(principal),
    );
    return { endpoint: toEndpointType(endpoint), secret };
  }

  @Authorized(Scope.WEBHOOKS_WRITE)
  @Mutation(() => WebhookEndpointType, { description: 'Changes an endpoint; its URL is checked again.' })
  async updateWebhookEndpoint(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpointType> {
    const { em, tenantId, principal } = tenantScope(ctx);
    const scenarioId = input.scenarioId === undefined ? undefined : input.scenarioId === null ? null : parseId(input.scenarioId, 'input.scenarioId');
    const changed = {
      url: present(input.url),
      eventTypes: present(input.eventTypes),
      scenarioId,
      description: present(input.description),
      noPersonalData: present(input.noPersonalData),
      encryptBody: present(input.encryptBody),
      enabled: present(input.enabled),
    };
    return toEndpointType(await ctx.services.webhooks.update(em, tenantId, parseId(id, 'id'), changed, actorOf(principal)));
  }

  @Authorized(Scope.WEBHOOKS_WRITE)
  @Mutation(() => WebhookEndpointType, { description: 'Stops deliveries to an endpoint (pending ones die); updateWebhookEndpoint(enabled: true) resumes.' })
  async disableWebhookEndpoint(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<WebhookEndpointType> {
    const { em, tenantId, principal } = tenantScope(ctx);
    return toEndpointType(await ctx.services.webhooks.update(em, tenantId, parseId(id, 'id'), { enabled: false }, actorOf(principal)));
  }

  @Authorized(Scope.WEBHOOKS_WRITE)
  @Mutation(() => ID, { description: 'Deletes an endpoint and its delivery log; returns its id.' })
  async deleteWebhookEndpoint(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    const { em, tenantId, principal } = tenantScope(ctx);
    const endpointId = parseId(id, 'id');
    await ctx.services.webhooks.delete(em, tenantId, endpointId, actorOf(principal));
    return endpointId;
  }

  @Authorized(Scope.WEBHOOKS_WRITE)
  @Mutation(() => WebhookEndpointWithSecret, { description: 'A new signing secret (in this answer only); the old one also signs during the overlap.' })
  async rotateWebhookSecret(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<WebhookEndpointWithSecret> {
    const { em, tenantId, principal } = tenantScope(ctx);
    const { endpoint, secret } = await ctx.services.webhooks.rotateSecret(em, tenantId, parseId(id, 'id'), actorOf(principal));
    return { endpoint: toEndpointType(endpoint), secret };
  }

  @Authorized(Scope.WEBHOOKS_WRITE)
  @Mutation(() => WebhookDeliveryType, { description: 'Queues a webhook.test delivery to the endpoint.' })
  async sendTestWebhook(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<WebhookDeliveryType> {
    const { em, tenantId } = tenantScope(ctx);
    return toDeliveryType(await ctx.services.webhooks.sendTest(em, tenantId, parseId(id, 'id')));
  }

  @Authorized(Scope.WEBHOOKS_WRITE)
  @Mutation(() => WebhookDeliveryType, { description: 'Sends a delivery again from its first attempt, with the same webhook-id.' })
  async redeliverWebhook(@Ctx() ctx: RequestContext, @Arg('deliveryId', () => ID) deliveryId: string): Promise<WebhookDeliveryType> {
    const { em } = tenantScope(ctx);
    return toDeliveryType(await ctx.services.webhooks.redeliver(em, parseId(deliveryId, 'deliveryId')));
  }
}
