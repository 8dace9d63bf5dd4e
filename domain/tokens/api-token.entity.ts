import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { User } from '../users/user.entity.js';

const ApiTokenSchema = defineEntity({
  name: 'ApiToken',
  filters: tenantFilter(),
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    name: p.string().length(200),
    /** Public, unique start of the token (`idg_<prefix>_…`), shown in lists and used to find the row. */
    prefix: p.string().length(32).unique(),
    /** SHA-256 of the whole token. The secret is random (256 bits), so a slow hash adds nothing. */
    secretHash: p.string().length(64).hidden(),
    scopes: p.json<string[]>(),
    createdBy: () => p.manyToOne(User).ref().nullable().deleteRule('set null'),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

/** A partner's credential: tenant-scoped, limited to its scopes, revocable. */
export class ApiToken extends ApiTokenSchema.class {}
ApiTokenSchema.setClass(ApiToken);
