import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../../domain/tokens/scopes.js';
import { TokenService } from '../../domain/tokens/token.service.js';
import { InProcessBus } from '../../domain/events/in-process.bus.js';
import { seedTenant } from '../support/seed.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('partner tokens', () => {
  let t: TestDatabase;
  let tokens: TokenService;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    tokens = new TokenService(t.db, new InProcessBus());
  });
  afterAll(() => t?.dispose());

  it('authenticates a new token to its tenant and scopes; the secret is not stored', async () => {
    const { tenant } = await seedTenant(t.db);
    const { token, secret } = await tokens.create(t.db.forTenant(tenant.id), { tenantId: tenant.id, name: 'crm', scopes: ['sessions:read'] });
    expect(secret).toMatch(/^idg_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);
    expect(await tokens.authenticate(secret)).toEqual({ tokenId: token.id, tenantId: tenant.id, scopes: [Scope.SESSIONS_READ], expiresAt: null });
    const [row] = await t.db.orm.em.fork().execute<{ secret_hash: string }[]>('select secret_hash from api_token where id = ?', [token.id]);
    expect(row!.secret_hash).not.toContain(secret.slice(-43)); // the random part (the prefix may itself hold '_')
    expect(row!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects unknown, malformed, tampered, revoked and expired tokens alike', async () => {
    const { tenant } = await seedTenant(t.db);
    const em = t.db.forTenant(tenant.id);
    const { token, secret } = await tokens.create(em, { tenantId: tenant.id, name: 'x', scopes: ['sessions:write'] });
    expect(await tokens.authenticate('nonsense')).toBeNull();
    expect(await tokens.authenticate(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    const expiring = await tokens.create(em, { tenantId: tenant.id, name: 'y', scopes: [], expiresAt: new Date(Date.now() + 1000) });
    expect(await tokens.authenticate(expiring.secret, new Date(Date.now() + 2000))).toBeNull();
    await tokens.revoke(t.db.forTenant(tenant.id), token.id);
    expect(await tokens.authenticate(secret)).toBeNull();
  });

  it('refuses unknown scopes and past expiry with typed errors', async () => {
    const { tenant } = await seedTenant(t.db);
    const em = t.db.forTenant(tenant.id);
    await expect(tokens.create(em, { tenantId: tenant.id, name: 'x', scopes: ['root'] })).rejects.toMatchObject({ code: 'UNKNOWN_SCOPE' });
    await expect(tokens.create(em, { tenantId: tenant.id, name: 'x', scopes: [], expiresAt: new Date(0) })).rejects.toMatchObject({ code: 'INVALID_EXPIRY' });
  });

  it('cannot revoke another tenant\'s token', async () => {
    const a = await seedTenant(t.db);
    const b = await seedTenant(t.db);
    await expect(tokens.revoke(t.db.forTenant(a.tenant.id), b.token.id)).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
    expect(await tokens.authenticate(b.token.secret)).not.toBeNull();
  });
});
