import type { EntityManager } from '@mikro-orm/sql';
import { SYSTEM_QUERY } from '../database/database.js';
import { OutboxEventType, type EventOutbox, type OutboxEvent } from '../events/event-outbox.js';
import { randomUUID } from 'node:crypto';
import { ScenarioVersion } from '../scenarios/scenario-version.entity.js';
import { SessionStep } from '../sessions/session-step.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { faceListFacts, FINAL_EVENT_TYPES, payloadFor, sessionFacts, type EventFacts } from './webhook-payload.js';

/**
 * The webhooks room's side of the outbox port. Fan-out happens at write time: `record` finds the endpoints (and the
 * scenario's own callback) that want the event and writes one delivery row per receiver, in the caller's
 * transaction. So the set of receivers is the one of the moment the change committed (an endpoint added later does
 * not get older events, one deleted later loses its rows with it), each row is a self-contained unit of work for the
 * worker (its own attempts, schedule and lease), and the worker never joins events with endpoints under a lock. The
 * cost, one small indexed read per event inside the change's transaction, is what a tenant's handful of endpoints
 * costs.
 */
export class WebhookOutbox implements EventOutbox {
  private readonly listeners = new Set<() => void>();
  /** Transactions that recorded deliveries, to wake the worker when (and only when) they commit. */
  private readonly recordedIn = new WeakSet<object>();
  /** Recorded in a unit of work not yet in a transaction: its flush will be one, woken by any next commit. */
  private recordedByFlush = false;

  async record(tx: EntityManager, event: OutboxEvent): Promise<void> {
    const facts = await this.facts(tx, event);
    // An erased session's earlier deliveries carry its personal data (names, numbers, warnings): they go with it,
    // pending or delivered, attempts included (cascade); only the deletion notice below is sent.
    if (event.type === OutboxEventType.SESSION_DELETED) await tx.nativeDelete(WebhookDelivery, { tenant: facts.tenantId, sessionId: facts.sessionId }, SYSTEM_QUERY);
    const eventId = randomUUID();
    const now = new Date();
    // By tenant explicitly, filter off: the sweep records from the system role for many tenants in one transaction.
    const endpoints = await tx.find(WebhookEndpoint, { tenant: facts.tenantId, enabled: true }, SYSTEM_QUERY);
    for (const endpoint of endpoints) {
      if (!endpoint.eventTypes.includes(facts.type)) continue;
      if (endpoint.scenarioId && endpoint.scenarioId !== facts.scenarioId) continue;
      this.enqueue(tx, facts, { eventId, now, endpoint, noPersonalData: endpoint.noPersonalData, encryptBody: endpoint.encryptBody });
    }
    const callback = facts.scenarioId && event.type !== OutboxEventType.SESSION_DELETED && 'session' in event ? await this.callbackOf(tx, event.session.scenarioVersion.id) : null;
    if (callback?.url && (!callback.finalStatusOnly || FINAL_EVENT_TYPES.includes(facts.type))) {
      this.enqueue(tx, facts, { eventId, now, scenarioId: facts.scenarioId!, url: callback.url, noPersonalData: callback.noPersonalData, encryptBody: callback.encryptBody });
    }
  }

  /** Calls `listener` after a transaction that recorded deliveries commits (the worker's wake-up). */
  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Called by the ORM after every commit (registered in server/services.ts). A wake-up is a hint, never a guarantee:
   * the worker's poll finds whatever a missed hint left.
   */
  transactionCommitted(transaction: object | undefined): void {
    const ours = transaction !== undefined && this.recordedIn.has(transaction);
    if (!ours && !this.recordedByFlush) return;
    if (transaction) this.recordedIn.delete(transaction);
    this.recordedByFlush = false;
    for (const listener of this.listeners) listener();
  }

  private enqueue(
    tx: EntityManager,
    facts: EventFacts,
    target: { eventId: string; now: Date; endpoint?: WebhookEndpoint; scenarioId?: string; url?: string; noPersonalData: boolean; encryptBody: boolean },
  ): void {
    tx.create(WebhookDelivery, {
      tenant: facts.tenantId,
      endpoint: target.endpoint ?? null,
      callbackScenario: target.scenarioId ?? null,
      url: target.url ?? null,
      eventId: target.eventId,
      eventType: facts.type,
      sessionId: facts.sessionId,
      payload: payloadFor(facts, { eventId: target.eventId, createdAt: target.now, noPersonalData: target.noPersonalData }),
      encryptBody: target.encryptBody,
      nextAttemptAt: target.now,
    });
    const transaction = tx.getTransactionContext<object>();
    if (transaction) this.recordedIn.add(transaction);
    else this.recordedByFlush = true;
  }

  private async facts(tx: EntityManager, event: OutboxEvent): Promise<EventFacts> {
    if (event.type === OutboxEventType.FACE_LIST_CHANGED) return faceListFacts(event);
    if (event.type === OutboxEventType.SESSION_DELETED) return sessionFacts(event, null, null);
    const version = await tx.findOne(ScenarioVersion, { id: event.session.scenarioVersion.id }, SYSTEM_QUERY);
    const step = event.step === undefined ? null : await tx.findOne(SessionStep, { session: event.session.id, position: event.step }, SYSTEM_QUERY);
    return sessionFacts(event, version?.version ?? null, step);
  }

  private async callbackOf(tx: EntityManager, scenarioVersionId: string) {
    const version = await tx.findOne(ScenarioVersion, { id: scenarioVersionId }, SYSTEM_QUERY);
    return version?.settings.callback ?? null;
  }
}
