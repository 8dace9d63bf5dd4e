import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantCipher } from '../blobs/tenant-cipher.js';
import { seedTenant } from '../../test/support/seed.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';
import { IdempotencyService } from './idempotency.service.js';

describe('IdempotencyService', () => {
  let t: TestDatabase;
  let service: IdempotencyService;
  let tenantId: string;
  const request = { query: 'mutation { createApiToken(name: "x", scopes: []) { secret } }', variables: {} };
  const answer = { data: { createApiToken: { secret: 'idg_prefixprefix_the-secret-part-nobody-may-read-at-rest-000000' } } };
  const sealedOf = async (id: string) =>
    Buffer.from((await t.db.orm.em.fork().execute<{ sealed_response: Uint8Array }[]>('select sealed_response from idempotency_record where id = ?', [id]))[0]!.sealed_response);

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    service = new IdempotencyService(t.db, new TenantCipher(randomBytes(32), 'idgraph-idempotency-v1'));
    tenantId = (await seedTenant(t.db, 'idem-unit')).tenant.id;
  });
  afterAll(() => t?.dispose());

  it("replays a caller's sealed answer to that caller only", async () => {
    const alice = { tenantId, principal: 'token:alice' };
    const bob = { tenantId, principal: 'token:bob' };
    const first = await service.claim(alice, { key: 'k1', request });
    expect(first.kind).toBe('run');
    if (first.kind !== 'run') return;
    await expect(service.claim(alice, { key: 'k1', request })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
    await service.complete(alice, first.recordId, answer);
    expect((await sealedOf(first.recordId)).includes('the-secret-part')).toBe(false);
    expect(await service.claim(alice, { key: 'k1', request })).toEqual({ kind: 'replay', response: answer });
    expect((await service.claim(bob, { key: 'k1', request })).kind).toBe('run');
  });

  it('refuses to open an answer moved to another caller\'s record', async () => {
    const alice = { tenantId, principal: 'user:alice' };
    const mallory = { tenantId, principal: 'user:mallory' };
    const own = await service.claim(alice, { key: 'k2', request });
    const theirs = await service.claim(mallory, { key: 'k2', request });
    if (own.kind !== 'run' || theirs.kind !== 'run') throw new Error('both claims should run');
    await service.complete(alice, own.recordId, answer);
    await service.complete(mallory, theirs.recordId, { data: { createApiToken: { secret: 'theirs' } } });
    await t.db.orm.em.fork().execute('update idempotency_record set sealed_response = ? where id = ?', [await sealedOf(own.recordId), theirs.recordId]);
    await expect(service.claim(mallory, { key: 'k2', request })).rejects.toThrow(/does not open/);
  });
});
