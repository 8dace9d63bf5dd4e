import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { APP_ROLE, TENANT_SETTING } from '../database/rls.constants.js';

/** Settings a tenant tunes for all its scenarios; scenario-level values win where both exist. */
export interface TenantSettings {
  /** Default data retention in days for new scenarios (0 = unlimited). */
  dataRetentionDays?: number;
  /** Default image retention in days for new scenarios. @default 183 */
  imageRetentionDays?: number;
}

const TenantSchema = defineEntity({
  name: 'Tenant',
  // The tenant row is visible only inside its own tenant context; the policy mirrors the other tables' filter.
  policies: [
    {
      name: 'tenant_self',
      roles: [APP_ROLE],
      using: (c) => `${c.id} = current_setting('${TENANT_SETTING}')::uuid`,
      check: (c) => `${c.id} = current_setting('${TENANT_SETTING}')::uuid`,
    },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    name: p.string().length(200),
    slug: p.string().length(64).unique(),
    settings: p.json<TenantSettings>().onCreate(() => ({})),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A company that verifies its customers with idgraph; every other row belongs to exactly one tenant. */
export class Tenant extends TenantSchema.class {}
TenantSchema.setClass(Tenant);
