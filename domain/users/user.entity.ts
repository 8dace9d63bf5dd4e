import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';

/** What an operator may do in the console; ordered from most to least powerful. */
export enum UserRole {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  OPERATOR = 'OPERATOR',
  ANALYST = 'ANALYST',
}

const UserSchema = defineEntity({
  name: 'User',
  tableName: 'app_user',
  filters: tenantFilter(),
  uniques: [{ name: 'app_user_tenant_email_unique', properties: ['tenant', 'email'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    email: p.string().length(320),
    /** argon2id PHC string; the password itself is never stored. Null until an invited operator sets one. */
    passwordHash: p.string().length(200).hidden().nullable(),
    role: p.enum(() => UserRole),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastLoginAt: p.datetime().nullable(),
    disabledAt: p.datetime().nullable(),
  },
});

/** An operator of a tenant, signing in to the console with email and password. */
export class User extends UserSchema.class {}
UserSchema.setClass(User);
