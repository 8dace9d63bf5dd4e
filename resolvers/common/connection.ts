import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { ApiError, ApiErrorCode } from '../../server/errors.js';

/** Relay page info. */
@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** A page of a Relay connection. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Builds the `<Name>Connection` and `<Name>Edge` object types for a node type (STYLE §7). */
export function connectionOf<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection implements Page<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Total number of nodes matching the filter, across pages.' })
    totalCount!: number;
  }
  return Connection;
}

/** Keyset cursor: the sort key (null for a node without a value in a nullable sort column) and the id of the last node, opaque to clients. */
export function encodeCursor(sortKey: string | null, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; a tampered one is a BAD_USER_INPUT. */
export function decodeCursor(cursor: string): { sortKey: string | null; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && (parsed[0] === null || typeof parsed[0] === 'string') && typeof parsed[1] === 'string') {
      return { sortKey: parsed[0] as string | null, id: parsed[1] as string };
    }
  } catch {
    // fall through
  }
  throw new ApiError(ApiErrorCode.BAD_USER_INPUT, 'invalid cursor', { argument: 'after' });
}
