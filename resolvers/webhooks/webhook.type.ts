import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DeliveryStatus } from '../../domain/webhooks/webhook-delivery.entity.js';
import { BoundedJSONObject } from '../common/json-object.scalar.js';
import { connectionOf } from '../common/connection.js';

registerEnumType(DeliveryStatus, { name: 'WebhookDeliveryStatus' });

@ObjectType('WebhookEndpoint', { description: 'Where the tenant wants to be told of events (Standard Webhooks; docs/WEBHOOKS.md).' })
export class WebhookEndpointType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  url!: string;

  @Field(() => [String], { description: 'Event types sent, e.g. session.decided.' })
  eventTypes!: string[];

  @Field(() => ID, { nullable: true, description: "Only this scenario's sessions, when set." })
  scenarioId!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Boolean)
  noPersonalData!: boolean;

  @Field(() => Boolean)
  encryptBody!: boolean;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => String, { nullable: true })
  disabledReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'Until then, the secret before the last rotation also signs.' })
  previousSecretValidUntil!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Start of the current run of failures; five days of it disable the endpoint.' })
  failingSince!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType({ description: 'An endpoint and its signing secret, shown this once.' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpointType)
  endpoint!: WebhookEndpointType;

  @Field(() => String, { description: 'whsec_<base64>: verify deliveries with it (Standard Webhooks).' })
  secret!: string;
}

@ObjectType('WebhookAttempt', { description: 'One HTTP attempt of a delivery.' })
export class WebhookAttemptType {
  @Field(() => Date)
  attemptedAt!: Date;

  @Field(() => Int, { nullable: true })
  statusCode!: number | null;

  @Field(() => Int)
  latencyMs!: number;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => String, { nullable: true, description: 'The first 1 KB of the answer.' })
  responseExcerpt!: string | null;
}

@ObjectType('WebhookDelivery', { description: 'One event for one receiver, and its attempts.' })
export class WebhookDeliveryType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The webhook-id header: the same on every attempt.' })
  webhookId!: string;

  @Field(() => ID, { nullable: true })
  endpointId!: string | null;

  @Field(() => ID, { nullable: true, description: "Set for the scenario's own callback (reference 001)." })
  callbackScenarioId!: string | null;

  @Field(() => String)
  eventType!: string;

  @Field(() => ID, { description: 'Shared by every delivery of one event (the payload correlationId).' })
  eventId!: string;

  @Field(() => ID, { nullable: true })
  sessionId!: string | null;

  @Field(() => BoundedJSONObject)
  payload!: Record<string, unknown>;

  @Field(() => DeliveryStatus)
  status!: DeliveryStatus;

  @Field(() => Int)
  attemptCount!: number;

  @Field(() => Date)
  nextAttemptAt!: Date;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => [WebhookAttemptType])
  attempts!: WebhookAttemptType[];
}

/** `WebhookDeliveryConnection`. */
export const WebhookDeliveryConnection = connectionOf(WebhookDeliveryType, 'WebhookDelivery');

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => String)
  url!: string;

  @Field(() => [String])
  eventTypes!: string[];

  @Field(() => ID, { nullable: true })
  scenarioId?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, { nullable: true })
  noPersonalData?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  encryptBody?: boolean | null;
}

@InputType({ description: 'Fields left out stay as they are; enabled: true re-enables a disabled endpoint.' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [String], { nullable: true })
  eventTypes?: string[] | null;

  @Field(() => ID, { nullable: true })
  scenarioId?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, { nullable: true })
  noPersonalData?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  encryptBody?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}

@InputType()
export class WebhookDeliveryFilter {
  @Field(() => ID, { nullable: true })
  endpointId?: string | null;

  @Field(() => ID, { nullable: true })
  sessionId?: string | null;

  @Field(() => DeliveryStatus, { nullable: true })
  status?: DeliveryStatus | null;

  @Field(() => String, { nullable: true })
  eventType?: string | null;
}
