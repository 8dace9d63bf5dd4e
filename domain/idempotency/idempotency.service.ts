import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/sql';
import type { TenantCipher } from '../blobs/tenant-cipher.js';
import type { Database } from '../database/database.js';
import { DomainError } from '../domain-error.js';
import { IdempotencyRecord } from './idempotency-record.entity.js';

/** How long a key holds (Stripe's convention). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;

/** A key replayed with another request, or while its first request is still running. */
export class IdempotencyError extends DomainError<'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_KEY_IN_PROGRESS' | 'INVALID_IDEMPOTENCY_KEY'> {}

/** What to do with a request that carries a key. */
export type Claim = { kind: 'replay'; response: Record<string, unknown> } | { kind: 'run'; recordId: string };

/** Whose key: the caller's tenant and a stable name of the caller in it (`token:<id>`, `user:<id>`, …). */
export interface KeyOwner {
  tenantId: string;
  principal: string;
}

/**
 * `Idempotency-Key` for creating mutations: the first request with a key claims it (a row, unique per tenant, caller
 * and key) and stores its answer; a retry by the same caller with the same key and request gets that answer again
 * without running twice; the same key with another request, or while the first still runs, is refused. A failed
 * first attempt releases the key so the client can retry.
 *
 * Keys belong to one caller, not to the tenant: the replay happens before the API checks scopes, so a key shared with
 * another caller would hand it an answer it may not be allowed to see. Answers are sealed at rest with the tenant's
 * idempotency key (AES-256-GCM, bound to the record, caller and key): a database dump holds no usable secret.
 */
export class IdempotencyService {
  constructor(
    private readonly db: Database,
    private readonly cipher: TenantCipher,
  ) {}

  async claim(owner: KeyOwner, input: { key: string; request: unknown }): Promise<Claim> {
    if (!/^[\x21-\x7e]{1,200}$/.test(input.key)) {
      throw new IdempotencyError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key: 1 to 200 visible ASCII characters');
    }
    const requestHash = createHash('sha256').update(JSON.stringify(input.request)).digest('hex');
    // An entity manager of its own: a failed insert must not stay queued in the request's unit of work.
    const em = this.db.forTenant(owner.tenantId);
    try {
      const record = em.create(IdempotencyRecord, { tenant: owner.tenantId, principal: owner.principal, key: input.key, requestHash, sealedResponse: null });
      await em.flush();
      return { kind: 'run', recordId: record.id };
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
    const existing = await this.db.forTenant(owner.tenantId).findOneOrFail(IdempotencyRecord, { principal: owner.principal, key: input.key });
    if (existing.requestHash !== requestHash) {
      throw new IdempotencyError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request');
    }
    if (!existing.sealedResponse) throw new IdempotencyError('IDEMPOTENCY_KEY_IN_PROGRESS', 'a request with this Idempotency-Key is still running');
    const opened = this.cipher.open(owner.tenantId, Buffer.from(existing.sealedResponse), this.boundTo(existing));
    // Tampered with, copied from another record, or sealed under another master key: a fault, not the caller's.
    if (!opened) throw new Error(`idempotency record ${existing.id} does not open`);
    return { kind: 'replay', response: JSON.parse(opened.toString('utf8')) as Record<string, unknown> };
  }

  /** Stores the answer of a successful first request, sealed. */
  async complete(owner: KeyOwner, recordId: string, response: Record<string, unknown>): Promise<void> {
    const em = this.db.forTenant(owner.tenantId);
    const record = await em.findOneOrFail(IdempotencyRecord, { id: recordId });
    record.sealedResponse = this.cipher.seal(owner.tenantId, Buffer.from(JSON.stringify(response)), this.boundTo(record));
    await em.flush();
  }

  /** Releases the key of a failed first request. */
  async release(owner: KeyOwner, recordId: string): Promise<void> {
    await this.db.forTenant(owner.tenantId).nativeDelete(IdempotencyRecord, { id: recordId });
  }

  /** Forgets keys older than {@link IDEMPOTENCY_KEY_TTL_MS} (run by the periodic job). */
  async purgeExpired(now = new Date()): Promise<number> {
    const rows = await this.db
      .asSystem()
      .execute<{ id: string }[]>('delete from idempotency_record where created_at < ? returning id', [new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS)]);
    return rows.length;
  }

  /** Associated data of a sealed answer: copied to another row, caller or key, it does not open. */
  private boundTo(record: IdempotencyRecord): Buffer {
    return Buffer.from(`idempotency:${record.id}:${record.principal}:${record.key}`);
  }
}
