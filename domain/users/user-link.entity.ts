import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { User } from './user.entity.js';

/** What a one-time set-password link is for. */
export enum UserLinkPurpose {
  INVITE = 'INVITE',
  RESET = 'RESET',
}

const UserLinkSchema = defineEntity({
  name: 'UserLink',
  filters: tenantFilter(),
  indexes: [{ name: 'user_link_user_idx', properties: ['user'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    user: () => p.manyToOne(User).ref().deleteRule('cascade'),
    purpose: p.enum(() => UserLinkPurpose),
    /** Public part used to find the row (`idp_<prefix>_…`). */
    prefix: p.string().length(32).unique(),
    /** SHA-256 of the whole secret: the link itself is shown once and never stored. */
    secretHash: p.string().length(64).hidden(),
    expiresAt: p.datetime(),
    /** Set when the password is set: a link works once. */
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A one-time link to set an operator's password (an invitation or a reset). */
export class UserLink extends UserLinkSchema.class {}
UserLinkSchema.setClass(UserLink);
