import { AuditEntry } from '../audit/audit-entry.entity.js';
import { FaceListEntry } from '../face-lists/face-list-entry.entity.js';
import { FaceList } from '../face-lists/face-list.entity.js';
import { Face } from '../faces/face.entity.js';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity.js';
import { KycLink } from '../kyc-links/kyc-link.entity.js';
import { SavedReport } from '../reports/saved-report.entity.js';
import { ScenarioStep } from '../scenarios/scenario-step.entity.js';
import { ScenarioVersion } from '../scenarios/scenario-version.entity.js';
import { Scenario } from '../scenarios/scenario.entity.js';
import { Capture } from '../sessions/capture.entity.js';
import { SessionStep } from '../sessions/session-step.entity.js';
import { Session } from '../sessions/session.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { ApiToken } from '../tokens/api-token.entity.js';
import { RefreshToken } from '../users/refresh-token.entity.js';
import { User } from '../users/user.entity.js';
import { UserLink } from '../users/user-link.entity.js';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity.js';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity.js';
import { WebhookAttempt } from '../webhooks/webhook-attempt.entity.js';
import { SessionTombstone } from '../erasure/session-tombstone.entity.js';

/** Every entity of the data model (DESIGN §2), registered with MikroORM. */
export const entities = [
  Tenant,
  User,
  RefreshToken,
  ApiToken,
  Scenario,
  ScenarioVersion,
  ScenarioStep,
  KycLink,
  Session,
  SessionStep,
  Capture,
  Face,
  FaceList,
  FaceListEntry,
  WebhookDelivery,
  SavedReport,
  AuditEntry,
  IdempotencyRecord,
  WebhookEndpoint,
  WebhookAttempt,
  UserLink,
  SessionTombstone,
];
