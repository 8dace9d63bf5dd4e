import { APP_ROLE, SYSTEM_ROLE } from './rls.constants.js';

/**
 * Roles are cluster-wide while databases come and go (each test suite makes its own), so they are created only when
 * missing. Neither can log in: the connection's user takes them per transaction with `SET LOCAL ROLE`, and in
 * production a dedicated login role is granted both (docs/DATABASE.md).
 */
export function createRolesSql(): string[] {
  return [APP_ROLE, SYSTEM_ROLE].map(
    (role) =>
      // Test suites migrate their own databases in parallel on one cluster: a concurrent creator wins, not an error.
      `do $$ begin if not exists (select from pg_roles where rolname = '${role}') then create role "${role}" nologin${
        role === SYSTEM_ROLE ? ' bypassrls' : ''
      }; end if; exception when duplicate_object or unique_violation then null; end $$;`,
  );
}

/**
 * Table privileges for both roles in this database. They get data access only: no ownership, no DDL, so RLS applies
 * to `idgraph_app` and `idgraph_system` crosses tenants only through its explicit BYPASSRLS.
 */
export function grantRolesSql(): string[] {
  return [APP_ROLE, SYSTEM_ROLE].flatMap((role) => [
    `grant usage on schema public to "${role}";`,
    `grant select, insert, update, delete on all tables in schema public to "${role}";`,
    `alter default privileges in schema public grant select, insert, update, delete on tables to "${role}";`,
  ]);
}
