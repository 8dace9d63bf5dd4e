import type { KeysetCursor, KeysetPage } from '../../domain/database/keyset-page.js';
import { ApiError, ApiErrorCode } from '../../server/errors.js';
import { decodeCursor, encodeCursor, type Page } from './connection.js';
import { parseId } from './tenant-scope.js';

/** Turns a cursor's sort key back into the sort column's value; `undefined` when the key cannot be one. */
export type SortKeyParser = (key: string | null) => KeysetCursor['sortValue'] | undefined;

/** Sort keys of a non-null date column (the default order of every connection: newest first). */
export const dateSortKey: SortKeyParser = (key) => {
  const date = key === null ? undefined : new Date(key);
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
};

/** Checks `first` and decodes `after` of a connection field. */
export function pageArgs(first: number, after: string | null, maxFirst: number, parseSortKey: SortKeyParser = dateSortKey): { first: number; after?: KeysetCursor } {
  if (!Number.isInteger(first) || first < 1 || first > maxFirst) {
    throw new ApiError(ApiErrorCode.BAD_USER_INPUT, `first must be between 1 and ${maxFirst}`, { argument: 'first' });
  }
  if (!after) return { first };
  const cursor = decodeCursor(after);
  const sortValue = parseSortKey(cursor.sortKey);
  if (sortValue === undefined) throw new ApiError(ApiErrorCode.BAD_USER_INPUT, 'invalid cursor', { argument: 'after' });
  return { first, after: { sortValue, id: parseId(cursor.id, 'after') } };
}

/** A keyset page of entities → a Relay connection of API nodes. */
export function toConnection<T extends { id: string }, N>(page: KeysetPage<T>, sortValue: (row: T) => KeysetCursor['sortValue'], map: (row: T) => N): Page<N> {
  const key = (value: KeysetCursor['sortValue']) => (value instanceof Date ? value.toISOString() : value);
  const edges = page.rows.map((row) => ({ cursor: encodeCursor(key(sortValue(row)), row.id), node: map(row) }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: page.totalCount };
}
