import { mkdir } from 'node:fs/promises';
import { MikroORM as PgliteORM } from '@mikro-orm/pglite';
import { MikroORM as PostgresORM } from '@mikro-orm/postgresql';
import type { EntityManager, MikroORM } from '@mikro-orm/sql';
import { commonOrmOptions, pgliteDriverOptions, type DatabaseTarget, type QueryListener } from './orm-options.js';
import { APP_ROLE, SYSTEM_ROLE, TENANT_FILTER } from './rls.constants.js';

/** Key of the advisory lock that serialises migrations across nodes (any constant: "idgrap" in ASCII). */
const MIGRATION_LOCK = 0x696467726170;

/** Which engine is behind a {@link Database}. */
export type DatabaseDriver = 'postgresql' | 'pglite';

/**
 * The one door to storage. Domain code never touches the root entity manager: it asks for a tenant-scoped or a
 * system entity manager, each of which runs every statement as a non-owner role, so PostgreSQL's row-level security
 * applies beneath the ORM filter (DESIGN §5).
 */
export class Database {
  private constructor(
    /** Root ORM, connected as the schema owner. Only migrations and tests' superuser controls use it. */
    readonly orm: MikroORM,
    readonly driver: DatabaseDriver,
    private readonly queries: QueryListener,
  ) {}

  /** Calls `listener` with every statement sent from now on (tests inspecting what a request costs). */
  onQuery(listener: ((sql: string) => void) | undefined): void {
    this.queries.listener = listener;
  }

  /** Connects to PostgreSQL when `target.url` is set, otherwise to embedded PGlite in `target.dataDir` (default in memory). */
  static async connect(target: DatabaseTarget): Promise<Database> {
    const queries: QueryListener = {};
    if (target.url) {
      const orm = await PostgresORM.init({
        ...commonOrmOptions(target, queries),
        clientUrl: target.url,
        pool: { min: 0, max: target.poolMax ?? 10 },
      });
      return new Database(orm as unknown as MikroORM, 'postgresql', queries);
    }
    const dataDir = target.dataDir ?? 'memory://';
    if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
    const orm = await PgliteORM.init({
      ...commonOrmOptions(target, queries),
      dbName: dataDir,
      driverOptions: pgliteDriverOptions(),
    });
    return new Database(orm as unknown as MikroORM, 'pglite', queries);
  }

  /**
   * Applies pending migrations as the owner; returns the names applied. Nodes starting together on one empty
   * PostgreSQL database would each create the same tables (a duplicate-key error in `pg_type` for the loser), so the
   * run holds a transaction-level advisory lock: the others wait, then find nothing pending. The migrations run in
   * that same transaction, on its one connection: a migrator taking a second one would wait forever on a pool of one
   * (`IDGRAPH_DB_POOL_MAX=1`), and PGlite serves a single connection anyway.
   */
  async migrate(): Promise<string[]> {
    return this.orm.em.fork().transactional(async (em) => {
      await em.execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
      return (await this.orm.migrator.up({ transaction: em.getTransactionContext() })).map((m) => m.name);
    });
  }

  /**
   * A fresh entity manager confined to one tenant: the ORM filter adds `tenant_id = …` to every query and each
   * transaction sets `app.tenant_id` and `SET LOCAL ROLE idgraph_app`, so the RLS policies confine even raw SQL.
   */
  forTenant(tenantId: string): EntityManager {
    const em = this.orm.em.fork({ session: { role: APP_ROLE } });
    em.setFilterParams(TENANT_FILTER, { tenantId });
    return em;
  }

  /**
   * A fresh entity manager for cross-tenant work (token lookup, tenant creation, expiry job). Runs as
   * `idgraph_system` (BYPASSRLS, not an owner); queries must disable the tenant filter explicitly with
   * {@link SYSTEM_QUERY}, so crossing tenants is always visible in the code.
   */
  asSystem(): EntityManager {
    return this.orm.em.fork({ session: { role: SYSTEM_ROLE } });
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await this.orm.close(true);
  }
}

/** Find options of a system query: the tenant filter off, on purpose. */
export const SYSTEM_QUERY = { filters: { [TENANT_FILTER]: false } } as const;
