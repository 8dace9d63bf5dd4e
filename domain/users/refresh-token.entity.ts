import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { User } from './user.entity.js';

const RefreshTokenSchema = defineEntity({
  name: 'RefreshToken',
  filters: tenantFilter(),
  indexes: [{ name: 'refresh_token_user_idx', properties: ['user'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    user: () => p.manyToOne(User).ref().deleteRule('cascade'),
    /** Public part used to find the row (`idr_<prefix>_…`). */
    prefix: p.string().length(32).unique(),
    secretHash: p.string().length(64).hidden(),
    expiresAt: p.datetime(),
    /** Set when used: a refresh token is single-use (rotation); reuse revokes the whole family. */
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    /** All tokens rotated from one sign-in share a family, revoked together on reuse or sign-out. */
    family: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** An operator's refresh token (stored hashed; rotated on every use). */
export class RefreshToken extends RefreshTokenSchema.class {}
RefreshTokenSchema.setClass(RefreshToken);
