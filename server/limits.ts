import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { createRequire } from 'node:module';
import type * as QueryComplexity from 'graphql-query-complexity';
import { ApiError, ApiErrorCode } from './errors.js';

// graphql-query-complexity's ESM build imports `graphql/index.mjs`, while graphql 16's `main` (what `import 'graphql'`
// gives Node, type-graphql and Apollo) is the CommonJS build: two graphql instances reject each other's schema
// ("another module or realm"). Its CommonJS build shares ours.
const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof QueryComplexity;
type ComplexityEstimator = QueryComplexity.ComplexityEstimator;

/** Query limits. */
export interface QueryLimits {
  /** Deepest selection nesting accepted. @default 12 */
  maxDepth: number;
  /** Highest estimated cost accepted (1 per field, lists multiplied by their `first`). @default 5000 */
  maxComplexity: number;
}

/** Selection depth of an operation, fragments expanded (introspection's own nesting counts too). */
export function queryDepth(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const depthOf = (set: SelectionSetNode | undefined, seen: ReadonlySet<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) max = Math.max(max, 1 + depthOf(selection.selectionSet, seen));
      else if (selection.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depthOf(selection.selectionSet, seen));
      else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        max = Math.max(max, depthOf(fragment?.selectionSet, new Set([...seen, selection.name.value])));
      }
    }
    return max;
  };
  return Math.max(
    0,
    ...document.definitions
      .filter((d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName))
      .map((d) => (d.kind === Kind.OPERATION_DEFINITION ? depthOf(d.selectionSet, new Set()) : 0)),
  );
}

/** Lists with a `first` argument cost their children that many times (Relay connections). */
const pageEstimator: ComplexityEstimator = ({ args, childComplexity }) =>
  typeof args.first === 'number' ? 1 + args.first * childComplexity : undefined;

/**
 * Refuses an operation that is too deep or too expensive before anything runs (BAD_USER_INPUT with
 * `reason: QUERY_TOO_DEEP | QUERY_TOO_COMPLEX`), so one request cannot load the database or the event loop at will.
 * HTTP (the plugin below) and WebSocket (server/ws.ts) both call it.
 */
export function assertWithinQueryLimits(
  schema: GraphQLSchema,
  limits: QueryLimits,
  operation: { document: DocumentNode; variables?: Record<string, unknown> | null; operationName?: string | null },
): void {
  const { document, operationName } = operation;
  const depth = queryDepth(document, operationName);
  if (depth > limits.maxDepth) {
    throw new ApiError(ApiErrorCode.BAD_USER_INPUT, `query depth ${depth} exceeds ${limits.maxDepth}`, { reason: 'QUERY_TOO_DEEP', depth, maxDepth: limits.maxDepth });
  }
  const complexity = getComplexity({
    schema,
    query: document,
    variables: operation.variables ?? {},
    operationName: operationName ?? undefined,
    estimators: [fieldExtensionsEstimator(), pageEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
  if (complexity > limits.maxComplexity) {
    throw new ApiError(ApiErrorCode.BAD_USER_INPUT, `query cost ${complexity} exceeds ${limits.maxComplexity}`, {
      reason: 'QUERY_TOO_COMPLEX',
      complexity,
      maxComplexity: limits.maxComplexity,
    });
  }
}

/** {@link assertWithinQueryLimits} for every HTTP operation, once Apollo has parsed and validated it. */
export function queryLimitsPlugin(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operationName }) {
          assertWithinQueryLimits(schema, limits, { document, variables: request.variables, operationName });
        },
      };
    },
  };
}
