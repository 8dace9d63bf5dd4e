import type { EntityClass, EntityManager, FilterQuery } from '@mikro-orm/sql';

/** A keyset position: the sort value and id of the last row of the previous page. */
export interface KeysetCursor {
  sortValue: Date;
  id: string;
}

/** One page, newest first. */
export interface KeysetPage<T> {
  rows: T[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * Newest-first keyset pagination on (`sortField`, id): stable while rows are inserted, and as fast on page 1000 as on
 * page 1 given an index on (tenant_id, sortField), unlike OFFSET. One query for the page (one row more than asked,
 * to know whether another page follows) and one count.
 */
export async function keysetPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  options: { where: FilterQuery<T>; sortField: keyof T & string; first: number; after?: KeysetCursor },
): Promise<KeysetPage<T>> {
  const { where, sortField, first, after } = options;
  const page = after
    ? { $and: [where, { $or: [{ [sortField]: { $lt: after.sortValue } }, { [sortField]: after.sortValue, id: { $lt: after.id } }] }] }
    : where;
  const rows = await em.find(entity, page as FilterQuery<T>, { orderBy: { [sortField]: 'desc', id: 'desc' } as never, limit: first + 1 });
  const totalCount = await em.count(entity, where);
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
}
