import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import { SYSTEM_QUERY, type Database } from '../database/database.js';
import { WebhookAttempt } from './webhook-attempt.entity.js';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookError } from './webhook.errors.js';
import { encryptBody, scenarioCallbackSecret, type WebhookSecrets } from './webhook-secret.js';
import { DELIVERY_TIMEOUT_MS, postWebhook, type AttemptResult } from './webhook-sender.js';
import { resolveUrl, type UrlPolicy } from './url-guard.js';

/** Delays before attempts 1..10 (Standard Webhooks' schedule): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. */
export const RETRY_SCHEDULE_MS: readonly number[] = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000];

/** An endpoint failing without a single success for this long is disabled. */
export const FAILING_DISABLE_MS = 5 * 24 * 3_600_000;

/** How the worker runs; every field has a default fit for production. */
export interface WebhookWorkerOptions {
  policy: UrlPolicy;
  /** @default 2000 */
  pollMs?: number;
  /** How long a claim holds; past it a crashed worker's rows are claimed again. @default 60000 */
  leaseMs?: number;
  /** @default 10 */
  batchSize?: number;
  /** @default RETRY_SCHEDULE_MS */
  scheduleMs?: readonly number[];
  /** @default 10000 */
  timeoutMs?: number;
  /** Share of each delay drawn at random either way, so retries of many deliveries do not arrive together. @default 0.1 */
  jitter?: number;
  now?: () => Date;
}

interface Claimed {
  id: string;
  attempts: number;
}

/**
 * The delivery worker (hand-written: pg-boss and graphile-worker need more than PGlite's one connection). Each round
 * claims due rows in one short statement (`FOR UPDATE SKIP LOCKED`, a fresh lease token and expiry, the attempt
 * counted), calls the receivers outside any transaction, and writes each result back only where its lease token
 * still holds: a worker that stalled past its lease lost the row to another and writes nothing. Nodes share work
 * through the row locks alone. A crashed worker's rows come back when their lease expires, with the same
 * `webhook-id` (at-least-once).
 */
export class WebhookWorker {
  private readonly opts: Required<Omit<WebhookWorkerOptions, 'policy'>> & { policy: UrlPolicy };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly secrets: WebhookSecrets,
    options: WebhookWorkerOptions,
    private readonly logger: Logger,
  ) {
    this.opts = {
      pollMs: 2000,
      leaseMs: 60_000,
      batchSize: 10,
      scheduleMs: RETRY_SCHEDULE_MS,
      timeoutMs: DELIVERY_TIMEOUT_MS,
      jitter: 0.1,
      now: () => new Date(),
      ...options,
    };
  }

  /** Starts polling; returns what stops it (waiting for the round in progress). */
  start(): { dispose(): Promise<void> } {
    this.stopped = false;
    this.wake();
    return {
      dispose: async () => {
        this.stopped = true;
        clearTimeout(this.timer);
        await this.running;
      },
    };
  }

  /** Runs a round now (after a commit that recorded deliveries), or right after the one in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.again) return this.wake();
      this.timer = setTimeout(() => this.wake(), this.opts.pollMs).unref();
    });
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        while (!this.stopped && (await this.runOnce()) === this.opts.batchSize);
      } catch (error) {
        this.logger.error({ err: error }, 'webhook round failed');
      }
    } while (this.again && !this.stopped);
  }

  /** Claims one batch of due deliveries and attempts each; returns how many it claimed. */
  async runOnce(): Promise<number> {
    const lease = randomUUID();
    const now = this.opts.now();
    const claimed = await this.db.asSystem().execute<Claimed[]>(
      `with due as (
         select id from webhook_delivery
          where status = ? and next_attempt_at <= ? and (lease_expires_at is null or lease_expires_at <= ?)
          order by next_attempt_at limit ? for update skip locked)
       update webhook_delivery d set lease_token = ?, lease_expires_at = ?, attempts = d.attempts + 1
         from due where d.id = due.id returning d.id, d.attempts`,
      [DeliveryStatus.PENDING, now, now, this.opts.batchSize, lease, new Date(now.getTime() + this.opts.leaseMs)],
    );
    await Promise.all(claimed.map((row) => this.attempt(row, lease).catch((error: unknown) => this.logger.error({ err: error, delivery: row.id }, 'webhook attempt failed'))));
    return claimed.length;
  }

  private async attempt(row: Claimed, lease: string): Promise<void> {
    const em = this.db.asSystem();
    const delivery = await em.findOneOrFail(WebhookDelivery, { id: row.id }, { ...SYSTEM_QUERY, populate: ['endpoint', 'callbackScenario'] });
    const endpoint = delivery.endpoint?.getEntity() ?? null;
    if (endpoint && !endpoint.enabled) {
      await this.writeBack(row, lease, { statusCode: null, latencyMs: 0, error: `endpoint disabled: ${endpoint.disabledReason ?? 'disabled'}`, responseExcerpt: null }, 'dead');
      return;
    }
    const now = this.opts.now();
    const tenantId = delivery.tenant.id;
    const secrets = endpoint
      ? [
          this.secrets.open(tenantId, endpoint.id, endpoint.sealedSecret),
          ...(endpoint.sealedPreviousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now ? [this.secrets.open(tenantId, endpoint.id, endpoint.sealedPreviousSecret)] : []),
        ]
      : [scenarioCallbackSecret(delivery.callbackScenario!.getEntity().callbackSecret)];
    const json = JSON.stringify(delivery.payload);
    const body = delivery.encryptBody ? JSON.stringify(encryptBody(secrets[0]!, json)) : json;
    const id = `msg_${delivery.id.replaceAll('-', '')}`;
    // Every signature over the same id, timestamp and body; the receiver accepts any one it can verify.
    const signature = secrets.map((s) => new Webhook(s).sign(id, now, body)).join(' ');
    const headers = { 'webhook-id': id, 'webhook-timestamp': Math.floor(now.getTime() / 1000).toString(), 'webhook-signature': signature };
    let result: AttemptResult;
    try {
      // Checked again at every attempt, and connected to the very address checked.
      const target = await resolveUrl(endpoint?.url ?? delivery.url!, this.opts.policy);
      result = await postWebhook(target, headers, body, this.opts.timeoutMs);
    } catch (error) {
      if (!(error instanceof WebhookError)) throw error;
      result = { statusCode: null, latencyMs: 0, error: error.message, responseExcerpt: null };
    }
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const outcome = ok ? 'delivered' : result.statusCode === 410 || row.attempts >= this.opts.scheduleMs.length ? 'dead' : 'retry';
    await this.writeBack(row, lease, result, outcome, endpoint?.id ?? null);
  }

  /** Writes an attempt's result, only while this worker's lease holds; the endpoint's health moves with it. */
  private async writeBack(row: Claimed, lease: string, result: AttemptResult, outcome: 'delivered' | 'retry' | 'dead', endpointId: string | null = null): Promise<void> {
    const now = this.opts.now();
    const status = outcome === 'delivered' ? DeliveryStatus.DELIVERED : outcome === 'dead' ? DeliveryStatus.DEAD : DeliveryStatus.PENDING;
    const next = outcome === 'retry' ? new Date(now.getTime() + this.delay(row.attempts)) : now;
    await this.db.asSystem().transactional(async (tx) => {
      const held = await tx.execute<{ tenantId: string }[]>(
        `update webhook_delivery set status = ?, next_attempt_at = ?, lease_token = null, lease_expires_at = null,
            last_status_code = ?, last_error = ?, delivered_at = ?
          where id = ? and lease_token = ? returning tenant_id as "tenantId"`,
        [status, next, result.statusCode, result.error, outcome === 'delivered' ? now : null, row.id, lease],
      );
      if (held.length === 0) {
        this.logger.warn({ delivery: row.id }, 'webhook lease lost: result dropped');
        return;
      }
      tx.create(WebhookAttempt, { tenant: held[0]!.tenantId, delivery: row.id, attemptedAt: now, ...result });
      if (!endpointId) return;
      if (outcome === 'delivered') {
        await tx.execute('update webhook_endpoint set failing_since = null where id = ? and failing_since is not null', [endpointId]);
        return;
      }
      await tx.execute('update webhook_endpoint set failing_since = coalesce(failing_since, ?) where id = ?', [now, endpointId]);
      const reason = result.statusCode === 410 ? 'the receiver answered 410 Gone' : 'failing for 5 days';
      const disabled = await tx.execute<{ id: string }[]>(
        'update webhook_endpoint set enabled = false, disabled_reason = ? where id = ? and enabled and (? or failing_since <= ?) returning id',
        [reason, endpointId, result.statusCode === 410, new Date(now.getTime() - FAILING_DISABLE_MS)],
      );
      if (disabled.length) this.logger.warn({ endpoint: endpointId, reason }, 'webhook endpoint disabled');
    });
  }

  /** The delay after failed attempt `n` (1-based), with jitter. */
  private delay(n: number): number {
    const base = this.opts.scheduleMs[n] ?? 0;
    return Math.round(base * (1 + this.opts.jitter * (Math.random() * 2 - 1)));
  }
}
