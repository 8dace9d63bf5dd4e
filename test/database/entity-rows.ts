import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityMetadata, EntityProperty } from '@mikro-orm/core';
import { ActorType } from '../../domain/audit/audit-entry.entity.js';
import type { Database } from '../../domain/database/database.js';
import { FACE_EMBEDDING_DIMENSIONS } from '../../domain/database/embedding.js';
import { FaceListKind } from '../../domain/face-lists/face-list.entity.js';
import { KycLinkStatus } from '../../domain/kyc-links/kyc-link.entity.js';
import { CheckEffect, type ScenarioSettings } from '../../domain/scenarios/scenario-settings.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';
import { RejectType, ReviewAnswer, SessionStatus, StepStatus } from '../../domain/sessions/session-status.js';
import { UserRole } from '../../domain/users/user.entity.js';
import { UserLinkPurpose } from '../../domain/users/user-link.entity.js';
import { DeliveryStatus } from '../../domain/webhooks/webhook-delivery.entity.js';
import { WarningSeverity } from '../../domain/warnings/warning.js';

/** One row per entity, keyed by entity name: every stored property with a value, none left to its default. */
export type EntityRows = Record<string, Record<string, unknown>>;

/** The properties that are columns of the entity's own table (scalars and owning relations), as MikroORM sees them. */
export function storedProperties(meta: EntityMetadata): EntityProperty[] {
  return meta.props.filter((p) => p.persist !== false && (p.kind === 'scalar' || p.kind === 'm:1' || (p.kind === '1:1' && p.owner)));
}

/** The properties the database computes on reading (`formula`), which no row writes. */
export function computedProperties(meta: EntityMetadata): EntityProperty[] {
  return meta.props.filter((p) => p.formula !== undefined);
}

/** What the computed properties of the rows of {@link entityRows} must read back as, by entity name. */
export const computedValues: Record<string, Record<string, unknown>> = {
  Face: { searchable: true },
};

/** Every entity the ORM knows (the list registered in domain/database/entities.ts), as metadata. */
export function entityMetadata(db: Database): EntityMetadata[] {
  return [...db.orm.getMetadata().getAll().values()].filter((m) => !m.embeddable && !m.virtual && !m.pivotTable);
}

/** Values a float4 vector column stores exactly, so the embedding must come back bit for bit. */
function embedding(): number[] {
  return Array.from({ length: FACE_EMBEDDING_DIMENSIONS }, (_, i) => ((i % 17) - 8) / 16);
}

const settings: ScenarioSettings = {
  redirectUrl: 'https://example.test/done',
  customerFaceListId: randomUUID(),
  blacklistFaceListId: randomUUID(),
  criticalErrorsBeforeBlock: 4,
  dataRetentionDays: 30,
  imageRetentionDays: 90,
  sessionLifetimeMinutes: 45,
  blockDifferentDocumentsInStep: true,
  blockSamePersonWithDifferentData: false,
  blockFinalRejections: false,
  allowedAge: { min: 18, max: 99 },
  callback: { url: 'https://example.test/hook', encryptBody: true, noPersonalData: true, finalStatusOnly: false },
  checks: { FACE_MISMATCH: { enabled: true, effect: CheckEffect.REJECT, threshold: 0.4 } },
};

/**
 * A complete graph of one tenant's data: the tenant and one row of every other entity, linked to each other, with
 * unique values fresh on each call (two tenants' rows can live in one database). Dates carry milliseconds and no
 * value equals its column default, so a column that is not written or not read back shows up.
 */
export function entityRows(label: string): EntityRows {
  const id = () => randomUUID();
  const unique = randomBytes(6).toString('hex');
  const at = (minute: number) => new Date(Date.UTC(2026, 2, 4, 5, minute, 7, 89));
  const ids = {
    tenant: id(), user: id(), scenario: id(), version: id(), session: id(), step: id(), capture: id(), face: id(), list: id(),
    endpoint: id(), delivery: id(),
  };
  const tenant = ids.tenant;
  const warning = { code: 'DOCUMENT_EXPIRED', severity: WarningSeverity.HIGH, confidence: 0.75, message: 'expired', params: { expiry: '2020-01-01', strict: true } };
  return {
    Tenant: { id: tenant, name: `${label} Ltd`, slug: `${label}-${unique}`, settings: { dataRetentionDays: 30, imageRetentionDays: 90 }, createdAt: at(0) },
    User: {
      id: ids.user, tenant, email: `admin@${label}-${unique}.test`, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA',
      role: UserRole.ADMIN, createdAt: at(1), lastLoginAt: at(2), disabledAt: at(3),
    },
    RefreshToken: {
      id: id(), tenant, user: ids.user, prefix: `r${unique}`, secretHash: 'd'.repeat(64), expiresAt: at(4), usedAt: at(5), revokedAt: at(6),
      family: id(), createdAt: at(7),
    },
    ApiToken: {
      id: id(), tenant, name: 'crm', prefix: `a${unique}`, secretHash: 'e'.repeat(64), scopes: ['sessions:read', 'sessions:write'],
      createdBy: ids.user, createdAt: at(8), expiresAt: at(9), lastUsedAt: at(10), revokedAt: at(11),
    },
    Scenario: {
      id: ids.scenario, tenant, schemaId: `sch_${unique}`, name: 'KYC', callbackSecret: 'x'.repeat(64), currentVersion: 2,
      createdAt: at(12), updatedAt: at(13), archivedAt: at(14),
    },
    ScenarioVersion: { id: ids.version, tenant, scenario: ids.scenario, version: 2, settings, createdAt: at(15) },
    ScenarioStep: {
      id: id(), tenant, scenarioVersion: ids.version, position: 3, kind: StepKind.SELFIE_WITH_DOCUMENT, title: 'Passport in hand',
      documentTypes: ['PASSPORT', 'ID_CARD'], countries: ['DEU', 'FRA'], checks: ['FACE_MISMATCH'],
    },
    KycLink: {
      id: id(), tenant, scenario: ids.scenario, batchId: id(), tokenHash: randomBytes(32).toString('hex'), status: KycLinkStatus.OPENED,
      expiresAt: at(16), openedAt: at(17), completedAt: at(18), sessionId: ids.session, createdAt: at(19),
    },
    Session: {
      id: ids.session, tenant, scenario: ids.scenario, scenarioVersion: ids.version, externalUserId: 'customer-42', metadata: { crm: 7 },
      status: SessionStatus.SUSPICIOUS, reviewAnswer: ReviewAnswer.RED, rejectType: RejectType.FINAL, rejectLabels: ['BLOCKLIST'],
      needsReview: true, criticalErrorCount: 2, attempts: 3, clientIp: '203.0.113.9', userAgent: 'Mozilla/5.0 (test)',
      identity: { surname: 'MUSTERMANN', givenNames: 'ERIKA', birthDate: '1964-08-12', documentNumber: 'C01X00T47', nationality: 'DEU' },
      warnings: [warning],
      decision: { scenarioVersion: 2, warnings: [{ code: 'USER_BLACKLISTED', effect: 'SUSPICIOUS', severity: 'HIGH', value: 0.91 }], needsReview: true, decidedAt: '2026-03-04T05:20:07.089Z', decidedBy: 'ENGINE' },
      kycLinkId: id(), startedAt: at(20), frozenAt: at(21), finishedAt: at(22), updatedAt: at(23), version: 1,
    },
    SessionStep: {
      id: ids.step, tenant, session: ids.session, position: 1, kind: StepKind.DOCUMENT, status: StepStatus.REVIEW, attempts: 2,
      warnings: [warning], evaluatedAt: at(24),
    },
    Capture: {
      id: ids.capture, tenant, session: ids.session, step: ids.step, blobKey: `${tenant}/${unique}`, sha256: 'b'.repeat(64), byteSize: 1234,
      image: { format: 'jpeg', width: 1200, height: 800, orientation: 6, software: 'GIMP' }, documentType: 'PASSPORT', documentCountry: 'DEU',
      ocrFields: [{ title: 'birthDate', value: '12.08.1964', valueUTC: '1964-08-12T00:00:00.000Z', confidence: 0.98, isMismatch: false, isUnreadable: false, isEdited: true, imageIndex: 0 }],
      mrz: { format: 'TD3', lines: ['P<D<<MUSTERMANN<<ERIKA', 'C01X00T478D<<6408125F2702283<<<<<<<4'], fields: { surname: 'MUSTERMANN', optional: null }, checks: [{ name: 'birthDate', valid: true, digit: '5', expected: '5' }], valid: true },
      quality: { blur: 0.125, glare: 0.5 }, warnings: [warning], createdAt: at(25), imagePurgedAt: at(26),
    },
    Face: {
      id: ids.face, tenant, session: ids.session, capture: ids.capture, box: { x: 1, y: 2, width: 100, height: 120 },
      landmarks: [[10.5, 20.25], [30, 40]], embedding: embedding(), detectorScore: 0.987654321, size: 100, age: 31.5, gender: 'female',
      antiSpoofScore: 0.123456789, livenessScore: 0.97, sharpness: 12.75, createdAt: at(27),
    },
    FaceList: { id: ids.list, tenant, name: 'Blacklist', kind: FaceListKind.BLACKLIST, createdAt: at(28) },
    FaceListEntry: { id: id(), tenant, list: ids.list, face: ids.face, reason: 'fraud', addedBy: ids.user, addedByTokenId: id(), createdAt: at(29) },
    WebhookEndpoint: {
      id: ids.endpoint, tenant, url: 'https://example.test/hook', eventTypes: ['session.decided'], scenarioId: ids.scenario, description: 'backend',
      noPersonalData: true, encryptBody: true, enabled: false, disabledReason: 'the receiver answered 410 Gone', sealedSecret: Buffer.from([9, 8, 7, ...randomBytes(40)]),
      sealedPreviousSecret: Buffer.from([1, ...randomBytes(40)]), previousSecretUntil: at(40), failingSince: at(41), createdAt: at(42), updatedAt: at(43),
    },
    WebhookDelivery: {
      id: ids.delivery, tenant, endpoint: ids.endpoint, callbackScenario: ids.scenario, url: 'https://example.test/callback', eventId: id(),
      eventType: 'session.decided', sessionId: ids.session, payload: { status: 'SUCCESS' }, encryptBody: true, status: DeliveryStatus.DEAD, attempts: 4,
      nextAttemptAt: at(30), leaseToken: id(), leaseExpiresAt: at(44), lastStatusCode: 502, lastError: 'HTTP 502', createdAt: at(31), deliveredAt: at(32),
    },
    WebhookAttempt: {
      id: id(), tenant, delivery: ids.delivery, attemptedAt: at(45), statusCode: 502, latencyMs: 17, error: 'HTTP 502', responseExcerpt: 'bad gateway',
    },
    SavedReport: {
      id: id(), tenant, name: 'Failed this week', owner: ids.user, shared: true,
      filters: { from: '2026-03-01', statuses: ['FAILED'], ocrFields: [{ title: 'surname', value: 'MUSTERMANN' }] }, columns: ['id', 'status'],
      createdAt: at(33), updatedAt: at(34),
    },
    AuditEntry: {
      id: id(), tenant, actorType: ActorType.TOKEN, actorId: 'tok-1', action: 'facelist.add', objectType: 'Face', objectId: ids.face,
      details: { reason: 'fraud' }, createdAt: at(35),
    },
    IdempotencyRecord: {
      id: id(), tenant, principal: `user:${ids.user}`, key: `key-${unique}`, requestHash: 'f'.repeat(64),
      sealedResponse: Buffer.from([0, 1, 2, 254, 255, ...randomBytes(32)]), createdAt: at(36),
    },
    UserLink: {
      id: id(), tenant, user: ids.user, purpose: UserLinkPurpose.RESET, prefix: `p${unique}`, secretHash: 'a'.repeat(64), expiresAt: at(37),
      usedAt: at(38), createdAt: at(39),
    },
    SessionTombstone: {
      id: id(), tenant, scenarioId: ids.scenario, scenarioVersion: 2, status: SessionStatus.FAILED, startedAt: at(37), finishedAt: at(38),
      deletedAt: at(39), deletedByType: ActorType.USER, deletedById: ids.user, policy: 'dataRetentionDays=30',
      captures: [{ id: id(), sha256: 'c'.repeat(64), byteSize: 4321, createdAt: '2026-03-04T05:40:07.089Z' }], faceCount: 2, faceListEntryCount: 1,
    },
  };
}

/**
 * Writes the rows through the ORM the way the services do: the tenant as the system role (the slug is global), every
 * other row in one flush as the tenant's role, so the RLS policies check each insert.
 */
export async function writeEntityRows(db: Database, rows: EntityRows): Promise<void> {
  const metas = entityMetadata(db);
  const system = db.asSystem();
  const tenant = metas.find((m) => m.className === 'Tenant')!;
  system.create(tenant.class, columnsOf(tenant, rows));
  await system.flush();
  const em = db.forTenant(rows.Tenant!.id as string);
  // Relations get the created entities, each made after what it points at: a bare id would stand for a row that
  // already exists, and the unit of work would not order the inserts by it.
  const made = new Map<EntityMetadata, object>([[tenant, em.getReference(tenant.class, rows.Tenant!.id)]]);
  const make = (meta: EntityMetadata): object => {
    const done = made.get(meta);
    if (done) return done;
    const data = columnsOf(meta, rows);
    for (const prop of storedProperties(meta)) {
      if (prop.kind === 'scalar' || data[prop.name] == null) continue;
      const target = prop.targetMeta!;
      if (data[prop.name] !== rows[target.className]?.id) throw new Error(`${meta.className}.${prop.name} must point at the ${target.className} row`);
      data[prop.name] = make(target);
    }
    const entity = em.create(meta.class, data);
    made.set(meta, entity);
    return entity;
  };
  metas.forEach(make);
  await em.flush();
}

/** The row of `meta`, restricted to its stored properties. */
function columnsOf(meta: EntityMetadata, rows: EntityRows): Record<string, unknown> {
  const row = rows[meta.className];
  if (!row) throw new Error(`no row for entity ${meta.className}`);
  return Object.fromEntries(storedProperties(meta).map((p) => [p.name, row[p.name]]));
}
