import { vector } from '@electric-sql/pglite-pgvector';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

/** Where the data lives: PostgreSQL when `url` is set, otherwise PGlite in `dataDir` (`memory://` for tests). */
export interface DatabaseTarget {
  url?: string;
  /** PGlite only. */
  dataDir?: string;
  /** @default 10 */
  poolMax?: number;
  /** Receives MikroORM's own messages (migrator progress, discovery). @default discards them */
  log?: (message: string) => void;
}

/** Where every statement sent is reported when someone listens (tests counting what a GraphQL page costs). */
export interface QueryListener {
  listener?: (sql: string) => void;
}

/** MikroORM options shared by both drivers: the model, migrations from code, and RLS through session context. */
export function commonOrmOptions(target: DatabaseTarget, queries: QueryListener) {
  return {
    logger: target.log ?? (() => undefined),
    onQuery: (sql: string) => {
      queries.listener?.(sql);
      return sql;
    },
    entities,
    extensions: [Migrator],
    // Migrations are classes imported from code, so the same list runs from `dist/` and under the test runner.
    // `includeWildcardSchema` (we have no `schema: '*'` entities) makes the migrator create its tracking table on
    // first use, inside the transaction `Database.migrate` hands it, instead of eagerly on a second connection.
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, emit: 'ts' as const, includeWildcardSchema: true },
    // Set per transaction (`set_config(…, true)`, `set local role`): safe with transaction-pooling proxies.
    sessionContext: 'transaction' as const,
    forceUtcTimezone: true,
    // Every tenant-owned table carries its own filter (and RLS policy): joining each M:1 target only to re-check the
    // tenant there would add a join per relation to every query for nothing.
    autoJoinRefsForFilters: false,
    debug: false,
    allowGlobalContext: false,
  };
}

/** PGlite needs the pgvector extension passed in at start (it is a separate WASM package, DESIGN §5). */
export function pgliteDriverOptions() {
  return { extensions: { vector } };
}
