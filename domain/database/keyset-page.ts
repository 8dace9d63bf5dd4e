import type { EntityClass, EntityManager, FilterQuery } from '@mikro-orm/sql';
import { readRows, type Row } from './read-rows.js';

/** A keyset position: the sort value and id of the last row of the previous page. */
export interface KeysetCursor {
  /** A date, a text column's value, or null for a row without a value in a nullable column. */
  sortValue: Date | string | null;
  id: string;
}

/** One page, newest first. */
export interface KeysetPage<T> {
  rows: T[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * Keyset pagination on (`sortField`, id), newest first unless `direction` says otherwise: stable while rows are
 * inserted, and as fast on page 1000 as on page 1 given an index on (tenant_id, sortField), unlike OFFSET. One query
 * for the page (one row more than asked, to know whether another page follows) and one count. In a `nullable` column
 * a row without a value sorts after every value (PostgreSQL's own order: last ascending, first descending), so one
 * index on the column serves both directions; the cursor condition follows the same rule. The page is plain rows
 * ({@link readRows}): it is only mapped to the API.
 */
export async function keysetPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  options: { where: FilterQuery<T>; sortField: keyof T & string; first: number; after?: KeysetCursor; direction?: 'asc' | 'desc'; nullable?: boolean },
): Promise<KeysetPage<Row<T>>> {
  const { where, sortField, first, after, direction = 'desc', nullable = false } = options;
  const page = after ? { $and: [where, beyond(sortField, after, direction, nullable)] } : where;
  const rows = await readRows(em, entity, page as FilterQuery<T>, { orderBy: { [sortField]: direction, id: direction }, limit: first + 1 });
  const totalCount = await em.count(entity, where);
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
}

/** The rows after `after` in the page order (rows without a value count as greater than any value). */
function beyond(sortField: string, after: KeysetCursor, direction: 'asc' | 'desc', nullable: boolean): Record<string, unknown> {
  const past = direction === 'desc' ? '$lt' : '$gt';
  const tie = { [sortField]: after.sortValue, id: { [past]: after.id } };
  if (after.sortValue === null) return direction === 'asc' ? tie : { $or: [tie, { [sortField]: { $ne: null } }] };
  const next: Record<string, unknown>[] = [{ [sortField]: { [past]: after.sortValue } }, tie];
  if (nullable && direction === 'asc') return { $or: [...next, { [sortField]: null }] };
  // The same rows, plus a plain range PostgreSQL can start the index scan at: without it the OR is only a filter,
  // and page n reads every row of the pages before it (measured: 17 ms instead of 0.1 ms 50 000 rows deep).
  return { $and: [{ [sortField]: { [direction === 'desc' ? '$lte' : '$gte']: after.sortValue } }, { $or: next }] };
}
