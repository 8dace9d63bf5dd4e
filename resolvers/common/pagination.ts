import type { KeysetCursor, KeysetPage } from '../../domain/database/keyset-page.js';
import { ApiError, ApiErrorCode } from '../../server/errors.js';
import { decodeCursor, encodeCursor, type Page } from './connection.js';
import { parseId } from './tenant-scope.js';

/** Checks `first` and decodes `after` of a connection field. */
export function pageArgs(first: number, after: string | null, maxFirst: number): { first: number; after?: KeysetCursor } {
  if (!Number.isInteger(first) || first < 1 || first > maxFirst) {
    throw new ApiError(ApiErrorCode.BAD_USER_INPUT, `first must be between 1 and ${maxFirst}`, { argument: 'first' });
  }
  if (!after) return { first };
  const cursor = decodeCursor(after);
  const sortValue = new Date(cursor.sortKey);
  if (Number.isNaN(sortValue.getTime())) throw new ApiError(ApiErrorCode.BAD_USER_INPUT, 'invalid cursor', { argument: 'after' });
  return { first, after: { sortValue, id: parseId(cursor.id, 'after') } };
}

/** A keyset page of entities → a Relay connection of API nodes. */
export function toConnection<T extends { id: string }, N>(page: KeysetPage<T>, sortValue: (row: T) => Date, map: (row: T) => N): Page<N> {
  const edges = page.rows.map((row) => ({ cursor: encodeCursor(sortValue(row).toISOString(), row.id), node: map(row) }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: page.totalCount };
}
