import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/sql';
import type { Database } from '../database/database.js';
import { DomainError } from '../domain-error.js';
import { IdempotencyRecord } from './idempotency-record.entity.js';

/** How long a key holds (Stripe's convention). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;

/** A key replayed with another request, or while its first request is still running. */
export class IdempotencyError extends DomainError<'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_KEY_IN_PROGRESS' | 'INVALID_IDEMPOTENCY_KEY'> {}

/** What to do with a request that carries a key. */
export type Claim = { kind: 'replay'; response: Record<string, unknown> } | { kind: 'run'; recordId: string };

/**
 * `Idempotency-Key` for creating mutations: the first request with a key claims it (a row, unique per tenant and key)
 * and stores its answer; a retry with the same key and the same request gets that answer again without running
 * twice; the same key with another request, or while the first still runs, is refused. A failed first attempt
 * releases the key so the client can retry.
 */
export class IdempotencyService {
  constructor(private readonly db: Database) {}

  async claim(input: { tenantId: string; key: string; request: unknown }): Promise<Claim> {
    if (!/^[\x21-\x7e]{1,200}$/.test(input.key)) {
      throw new IdempotencyError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key: 1 to 200 visible ASCII characters');
    }
    const requestHash = createHash('sha256').update(JSON.stringify(input.request)).digest('hex');
    // An entity manager of its own: a failed insert must not stay queued in the request's unit of work.
    const em = this.db.forTenant(input.tenantId);
    try {
      const record = em.create(IdempotencyRecord, { tenant: input.tenantId, key: input.key, requestHash, response: null });
      await em.flush();
      return { kind: 'run', recordId: record.id };
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
    const existing = await this.db.forTenant(input.tenantId).findOneOrFail(IdempotencyRecord, { key: input.key });
    if (existing.requestHash !== requestHash) {
      throw new IdempotencyError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request');
    }
    if (!existing.response) throw new IdempotencyError('IDEMPOTENCY_KEY_IN_PROGRESS', 'a request with this Idempotency-Key is still running');
    return { kind: 'replay', response: existing.response };
  }

  /** Stores the answer of a successful first request. */
  async complete(tenantId: string, recordId: string, response: Record<string, unknown>): Promise<void> {
    await this.db.forTenant(tenantId).nativeUpdate(IdempotencyRecord, { id: recordId }, { response });
  }

  /** Releases the key of a failed first request. */
  async release(tenantId: string, recordId: string): Promise<void> {
    await this.db.forTenant(tenantId).nativeDelete(IdempotencyRecord, { id: recordId });
  }

  /** Forgets keys older than {@link IDEMPOTENCY_KEY_TTL_MS} (run by the periodic job). */
  async purgeExpired(now = new Date()): Promise<number> {
    const rows = await this.db
      .asSystem()
      .execute<{ id: string }[]>('delete from idempotency_record where created_at < ? returning id', [new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS)]);
    return rows.length;
  }
}
