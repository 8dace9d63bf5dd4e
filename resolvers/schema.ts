// type-graphql reads decorator metadata while the resolver modules below are evaluated: the polyfill comes first.
import 'reflect-metadata';
import { printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { authChecker } from '../server/auth.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { AuthResolver } from './auth/auth.resolver.js';
import { CaptureResolver } from './captures/capture.resolver.js';
import { SessionEventResolver } from './events/session-event.resolver.js';
import { FaceListResolver } from './face-lists/face-list.resolver.js';
import { FaceResolver } from './faces/face.resolver.js';
import { KycLinkResolver } from './kyc-links/kyc-link.resolver.js';
import { HealthResolver } from './health/health.resolver.js';
import { ScenarioResolver } from './scenarios/scenario.resolver.js';
import { SessionStepResolver } from './sessions/session-step.resolver.js';
import { SessionResolver } from './sessions/session.resolver.js';
import { TokenResolver } from './tokens/token.resolver.js';
import { ViewerResolver } from './viewer/viewer.resolver.js';
import { ReportResolver } from './reports/report.resolver.js';
import { WebhookResolver } from './webhooks/webhook.resolver.js';
import { SessionSummaryResolver } from './summaries/session-summary.resolver.js';
import { UserResolver } from './users/user.resolver.js';
import { SessionErasureResolver } from './erasure/session-erasure.resolver.js';
import { CaptureImageResolver } from './captures/capture-image.resolver.js';

/** Every resolver class of the API. */
const resolvers = [
  HealthResolver,
  ViewerResolver,
  AuthResolver,
  ScenarioResolver,
  SessionResolver,
  SessionStepResolver,
  CaptureResolver,
  FaceResolver,
  FaceListResolver,
  KycLinkResolver,
  SessionEventResolver,
  TokenResolver,
  AuditResolver,
  ReportResolver,
  WebhookResolver,
  SessionSummaryResolver,
  UserResolver,
  SessionErasureResolver,
  CaptureImageResolver,
] as const;

/**
 * type-graphql insists on a PubSub as soon as a schema has subscriptions, but every idgraph subscription brings its
 * own `subscribe` (a stream over the tenant's EventBus), so topics are never used: this one refuses loudly.
 */
const topicsUnused: PubSub = {
  publish() {
    throw new Error('subscriptions subscribe through the EventBus; type-graphql topics are not used');
  },
  subscribe() {
    throw new Error('subscriptions subscribe through the EventBus; type-graphql topics are not used');
  },
};

/** Builds the executable schema from the type-graphql classes. Input is validated by the domain (zod), not here. */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, validate: false, authChecker, authMode: 'error', pubSub: topicsUnused });
}

/** The SDL committed as `schema/schema.graphql` (a test fails when it is stale). */
export async function emitSchemaSdl(): Promise<string> {
  return `${printSchema(await buildGraphQLSchema())}\n`;
}
