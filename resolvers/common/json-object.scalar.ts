import { GraphQLError, GraphQLScalarType } from 'graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

/** How deep and how large one `JSONObject` value may be (objects and arrays count as levels). */
export const JSON_OBJECT_LIMITS = { maxDepth: 16, maxBytes: 64 * 1024 } as const;

/**
 * Throws unless `value` nests at most {@link JSON_OBJECT_LIMITS}.maxDepth levels and serialises to at most maxBytes.
 * The depth is measured iteratively before anything recursive (`JSON.stringify`, zod, the driver) touches the value.
 */
function assertBounded(value: unknown): void {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth > JSON_OBJECT_LIMITS.maxDepth) {
      throw new GraphQLError(`JSONObject nests deeper than ${JSON_OBJECT_LIMITS.maxDepth} levels`, { extensions: { reason: 'JSON_TOO_DEEP', maxDepth: JSON_OBJECT_LIMITS.maxDepth } });
    }
    for (const item of Object.values(next.value)) pending.push({ value: item, depth: next.depth + 1 });
  }
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
  if (bytes > JSON_OBJECT_LIMITS.maxBytes) {
    throw new GraphQLError(`JSONObject is ${bytes} bytes, more than ${JSON_OBJECT_LIMITS.maxBytes}`, { extensions: { reason: 'JSON_TOO_LARGE', maxBytes: JSON_OBJECT_LIMITS.maxBytes } });
  }
}

/**
 * graphql-scalars' `JSONObject` (same name, description and output), with a depth and size limit on what clients send:
 * a value nested tens of thousands of levels deep, or megabytes wide, is a typed input error (a variable: HTTP 400
 * BAD_USER_INPUT; a literal: GRAPHQL_VALIDATION_FAILED) instead of a stack overflow or a huge row.
 */
export const BoundedJSONObject = new GraphQLScalarType({
  ...GraphQLJSONObject.toConfig(),
  parseValue(value) {
    const object = GraphQLJSONObject.parseValue(value);
    assertBounded(object);
    return object;
  },
  parseLiteral(ast, variables) {
    const object = GraphQLJSONObject.parseLiteral(ast, variables);
    assertBounded(object);
    return object;
  },
});
