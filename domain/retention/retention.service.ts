import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { ActorType, AuditEntry } from '../audit/audit-entry.entity.js';
import { AuditService } from '../audit/audit.service.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { SYSTEM_QUERY, type Database } from '../database/database.js';
import type { SessionErasureService } from '../erasure/session-erasure.service.js';
import { SessionError } from '../sessions/session.errors.js';
import type { SessionService } from '../sessions/session.service.js';
import type { RunLock } from './run-lock.js';

/** Image retention of a scenario version that predates the setting (reference 000: images are kept six months). */
export const DEFAULT_IMAGE_RETENTION_DAYS = 183;
/** Advisory lock key of the retention run across nodes ("idgret" in ASCII). */
export const RETENTION_LOCK_KEY = 0x696467726574n;

/** What one tenant's data went through in one run; also the `details` of the run's audit entry. */
export interface RetentionCounts {
  /** Sessions erased (through `deleteSession`'s path) after their scenario's data retention. */
  sessionsErased: number;
  imagesDeleted: number;
  sessionsExpired: number;
  sessionsIdled: number;
}

/** What a run did, over all tenants. `interrupted`: stopped between batches by its signal; the next run goes on. */
export interface RetentionRun extends RetentionCounts {
  runId: string;
  /** Tenants whose data the run touched (each has one audit entry for the run). */
  tenants: number;
  interrupted: boolean;
}

/** Options of {@link RetentionService}. */
export interface RetentionOptions {
  /** Images deleted per transaction. @default 200 */
  batchSize?: number;
}

interface ExpiredSession {
  id: string;
  tenantId: string;
  days: number;
}

interface ExpiredImage {
  id: string;
  tenantId: string;
  blobKey: string;
}

/**
 * Applies the scenarios' retention settings (DESIGN §8, issue 21): erases sessions ended longer ago than the data
 * retention of the scenario version they ran under (0 keeps them), through the erasure path of `deleteSession` with
 * the policy named instead of an actor; deletes capture images older than that version's image retention (what the
 * applicant was told when the image was taken); and turns abandoned sessions IDLE and EXPIRED through the session
 * sweep. One run at a time across nodes (the lock), in
 * batches that each commit on their own (`FOR UPDATE SKIP LOCKED`, no long transaction), so a run stopped anywhere
 * loses nothing: a blob is deleted before its row forgets it, and deleting a missing blob is not an error, so the
 * next run finishes what a stopped one began. Each tenant touched gets one audit entry per run (`retention.run`, by
 * SYSTEM) whose counts grow in the same transactions as the deletions they count.
 */
export class RetentionService {
  private readonly batchSize: number;

  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
    private readonly sessions: SessionService,
    private readonly erasure: SessionErasureService,
    private readonly lock: RunLock,
    options: RetentionOptions = {},
    private readonly audit = new AuditService(),
  ) {
    this.batchSize = options.batchSize ?? 200;
  }

  /**
   * Runs retention once as of `now`, unless another node is running it (`'skipped'`). `signal` stops the run between
   * batches (a node shutting down).
   */
  async run(now = new Date(), signal?: AbortSignal): Promise<RetentionRun | 'skipped'> {
    const locked = await this.lock.runExclusive(() => this.runLocked(now, signal));
    return locked.ran ? locked.value : 'skipped';
  }

  private async runLocked(now: Date, signal: AbortSignal | undefined): Promise<RetentionRun> {
    const runId = randomUUID();
    const byTenant = new Map<string, RetentionCounts>();
    const { expired, idled } = await this.sessions.sweep(now);
    const swept = tally([...expired.map((r) => [r.tenantId, 'sessionsExpired'] as const), ...idled.map((r) => [r.tenantId, 'sessionsIdled'] as const)]);
    if (swept.size > 0) await this.db.asSystem().transactional((tx) => this.count(tx, runId, swept, byTenant, now));

    let interrupted = false;
    for (;;) {
      if (signal?.aborted) {
        interrupted = true;
        break;
      }
      const erased = await this.eraseSessionBatch(runId, byTenant, now);
      if (erased < this.batchSize) break;
    }
    for (;;) {
      if (interrupted || signal?.aborted) {
        interrupted = true;
        break;
      }
      const deleted = await this.db.asSystem().transactional((tx) => this.deleteImageBatch(tx, runId, byTenant, now));
      if (deleted < this.batchSize) break;
    }
    const total = (key: keyof RetentionCounts) => [...byTenant.values()].reduce((sum, c) => sum + c[key], 0);
    return { runId, tenants: byTenant.size, sessionsErased: total('sessionsErased'), imagesDeleted: total('imagesDeleted'), sessionsExpired: total('sessionsExpired'), sessionsIdled: total('sessionsIdled'), interrupted };
  }

  /**
   * Erases one batch of sessions past their data retention, each in a transaction of its own (the erasure's), then
   * counts them; answers how many it erased. A session erased meanwhile by someone else is skipped. A run stopped
   * between an erasure and its count loses only the count: the session is gone and is not selected again.
   */
  private async eraseSessionBatch(runId: string, byTenant: Map<string, RetentionCounts>, now: Date): Promise<number> {
    const rows = await this.db.asSystem().execute<ExpiredSession[]>(
      `select s.id, s.tenant_id as "tenantId", (v.settings->>'dataRetentionDays')::int as days
         from kyc_session s
         join scenario_version v on v.id = s.scenario_version_id
        where s.finished_at is not null
          and coalesce((v.settings->>'dataRetentionDays')::int, 0) > 0
          and s.finished_at <= ?::timestamptz - make_interval(days => (v.settings->>'dataRetentionDays')::int)
        order by s.finished_at
        limit ?`,
      [now, this.batchSize],
    );
    const erased: (readonly [string, keyof RetentionCounts])[] = [];
    for (const row of rows) {
      try {
        await this.erasure.erase(this.db.forTenant(row.tenantId), row.tenantId, row.id, { policy: `dataRetentionDays=${row.days}` }, now);
        erased.push([row.tenantId, 'sessionsErased']);
      } catch (error) {
        if (!(error instanceof SessionError && error.code === 'SESSION_NOT_FOUND')) throw error;
      }
    }
    if (erased.length > 0) await this.db.asSystem().transactional((tx) => this.count(tx, runId, tally(erased), byTenant, now));
    return rows.length;
  }

  /** Deletes one batch of expired images and records them; answers how many it deleted. */
  private async deleteImageBatch(tx: EntityManager, runId: string, byTenant: Map<string, RetentionCounts>, now: Date): Promise<number> {
    const rows = await tx.execute<ExpiredImage[]>(
      `select c.id, c.tenant_id as "tenantId", c.blob_key as "blobKey"
         from capture c
         join kyc_session s on s.id = c.session_id
         join scenario_version v on v.id = s.scenario_version_id
        where c.blob_key is not null
          and c.created_at <= ?::timestamptz - make_interval(days => coalesce((v.settings->>'imageRetentionDays')::int, ?))
        order by c.created_at
        limit ?
        for update of c skip locked`,
      [now, DEFAULT_IMAGE_RETENTION_DAYS, this.batchSize],
    );
    if (rows.length === 0) return 0;
    // The files go first: were the transaction to fail after this, the rows still name them and the next run retries.
    for (const row of rows) await this.blobs.delete(row.tenantId, row.blobKey);
    await tx.execute('update capture set blob_key = null, image_purged_at = ? where id in (?)', [now, rows.map((r) => r.id)]);
    const counts = tally(rows.map((r) => [r.tenantId, 'imagesDeleted'] as const));
    await this.count(tx, runId, counts, byTenant, now);
    return rows.length;
  }

  /** Adds `counts` to each tenant's audit entry of the run (created on the first count), in the caller's transaction. */
  private async count(tx: EntityManager, runId: string, counts: Map<string, Partial<RetentionCounts>>, byTenant: Map<string, RetentionCounts>, now: Date): Promise<void> {
    for (const [tenantId, added] of counts) {
      const total = byTenant.get(tenantId) ?? { sessionsErased: 0, imagesDeleted: 0, sessionsExpired: 0, sessionsIdled: 0 };
      const next: RetentionCounts = {
        sessionsErased: total.sessionsErased + (added.sessionsErased ?? 0),
        imagesDeleted: total.imagesDeleted + (added.imagesDeleted ?? 0),
        sessionsExpired: total.sessionsExpired + (added.sessionsExpired ?? 0),
        sessionsIdled: total.sessionsIdled + (added.sessionsIdled ?? 0),
      };
      const entry = await tx.findOne(AuditEntry, { tenant: tenantId, action: 'retention.run', objectId: runId }, SYSTEM_QUERY);
      const details = { ...next, asOf: now.toISOString() };
      if (entry) entry.details = details;
      else this.audit.record(tx, { tenantId, actor: { type: ActorType.SYSTEM, id: null }, action: 'retention.run', objectType: 'RetentionRun', objectId: runId, details });
      byTenant.set(tenantId, next);
    }
    await tx.flush();
  }
}

/** Counts of each tenant from `(tenant, what)` pairs. */
function tally(items: readonly (readonly [string, keyof RetentionCounts])[]): Map<string, Partial<RetentionCounts>> {
  const counts = new Map<string, Partial<RetentionCounts>>();
  for (const [tenantId, key] of items) {
    const c = counts.get(tenantId) ?? {};
    c[key] = (c[key] ?? 0) + 1;
    counts.set(tenantId, c);
  }
  return counts;
}
