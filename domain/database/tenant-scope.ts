import { p } from '@mikro-orm/core';
import { Tenant } from '../tenants/tenant.entity.js';
import { TENANT_FILTER, TENANT_SETTING } from './rls.constants.js';

/**
 * The `tenant` relation every tenant-owned entity carries (column `tenant_id`).
 * Used as `properties: { ...tenantOwned(), … }`.
 */
export function tenantOwned() {
  return { tenant: () => p.manyToOne(Tenant).ref().deleteRule('cascade') };
}

/**
 * The tenant filter, declared on each tenant-owned entity. `rls` makes MikroORM also create the matching
 * PostgreSQL policy and stage `app.tenant_id` in each transaction when the filter params are set, so a query
 * that bypasses the ORM filter (raw SQL, a forgotten option) is still confined by the database.
 */
export function tenantFilter() {
  return {
    [TENANT_FILTER]: {
      name: TENANT_FILTER,
      cond: (args: Record<string, unknown>) => ({ tenant: args.tenantId }),
      default: true,
      rls: { setting: TENANT_SETTING },
    },
  } as const;
}
