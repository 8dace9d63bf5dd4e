import type { EntityManager, FilterQuery } from '@mikro-orm/sql';
import { ReferenceKind, type Collection, type EntityClass, type Reference } from '@mikro-orm/core';

/**
 * An entity's stored values as a plain read-only row: each many-to-one relation as just `{ id }` (what an entity's
 * reference also offers), no collections. An entity can be passed wherever a row is expected.
 */
export type Row<T> = {
  readonly [K in keyof T as T[K] extends Collection<object> ? never : K]: T[K] extends Reference<object> ? { id: string } : T[K];
};

/** Options of {@link readRows}. */
export interface ReadRowsOptions {
  orderBy?: Record<string, 'asc' | 'desc'>;
  limit?: number;
  /** Properties not to read (columns the caller never returns). */
  exclude?: readonly string[];
}

/**
 * Reads rows of `entity` as plain values, through the ORM's filters (the tenant condition) and the entity manager's
 * session context or transaction (RLS), for reads whose results are only mapped to the API and dropped: managing
 * them as entities (identity map, a reference object per relation, the change-tracking snapshot) cost three to four
 * times the read itself, most of a page of 100 sessions with nested relations (CPU profile of `bench:api`).
 */
export async function readRows<T extends object>(em: EntityManager, entity: EntityClass<T>, where: FilterQuery<T>, options: ReadRowsOptions = {}): Promise<Row<T>[]> {
  const stored = em
    .getMetadata()
    .get(entity)
    .props.filter((p) => (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE) && !options.exclude?.includes(p.name));
  const qb = em.createQueryBuilder(entity).select(stored.map((p) => p.name) as never).where(where as never);
  if (options.orderBy) qb.orderBy(options.orderBy as never);
  if (options.limit !== undefined) qb.limit(options.limit);
  await qb.applyFilters();
  const rows = (await qb.execute('all', true)) as Record<string, unknown>[];
  const relations = stored.filter((p) => p.kind === ReferenceKind.MANY_TO_ONE).map((p) => p.name);
  for (const row of rows) for (const name of relations) if (row[name] != null) row[name] = { id: row[name] };
  return rows as Row<T>[];
}
