import type { EntityClass, EntityManager, FilterQuery } from '@mikro-orm/sql';

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
 * for the page (one row more than asked, to know whether another page follows) and one count. A `nullable` column
 * puts its rows without a value last in either direction (PostgreSQL would put them first when descending), so the
 * cursor condition can reach them after the others.
 */
export async function keysetPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  options: { where: FilterQuery<T>; sortField: keyof T & string; first: number; after?: KeysetCursor; direction?: 'asc' | 'desc'; nullable?: boolean },
): Promise<KeysetPage<T>> {
  const { where, sortField, first, after, direction = 'desc', nullable = false } = options;
  const page = after ? { $and: [where, beyond(sortField, after, direction === 'desc' ? '$lt' : '$gt', nullable)] } : where;
  const order = nullable ? `${direction} nulls last` : direction;
  const rows = await em.find(entity, page as FilterQuery<T>, { orderBy: { [sortField]: order, id: direction } as never, limit: first + 1 });
  const totalCount = await em.count(entity, where);
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
}

/** The rows after `after` in the page order. */
function beyond(sortField: string, after: KeysetCursor, past: '$lt' | '$gt', nullable: boolean): Record<string, unknown> {
  // Past the first row without a value, only such rows remain, ordered by id.
  if (after.sortValue === null) return { [sortField]: null, id: { [past]: after.id } };
  const next: Record<string, unknown>[] = [{ [sortField]: { [past]: after.sortValue } }, { [sortField]: after.sortValue, id: { [past]: after.id } }];
  if (nullable) next.push({ [sortField]: null });
  return { $or: next };
}
