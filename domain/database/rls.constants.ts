/** Transaction-local PostgreSQL setting that row-level security policies compare `tenant_id` against. */
export const TENANT_SETTING = 'app.tenant_id';

/** Role for tenant-scoped work: not a superuser, owns nothing, so the RLS policies apply to it. */
export const APP_ROLE = 'idgraph_app';

/**
 * Role for the few cross-tenant operations (resolving an API token before its tenant is known, creating tenants,
 * the expiry job). It has BYPASSRLS but is neither superuser nor owner, and is only ever taken explicitly.
 */
export const SYSTEM_ROLE = 'idgraph_system';

/** Name of the MikroORM filter that scopes every tenant-owned entity; its param is `{ tenantId }`. */
export const TENANT_FILTER = 'tenant';
