import type { GraphQLSchema } from 'graphql';
import { createRequire } from 'node:module';
import type * as QueryComplexity from 'graphql-query-complexity';

// graphql-query-complexity's ESM build imports `graphql/index.mjs`, while graphql 16's `main` (what `import 'graphql'`
// gives Node, type-graphql and Apollo) is the CommonJS build: two graphql instances reject each other's schema
// ("another module or realm"). Its CommonJS build shares ours.
const { fieldExtensionsEstimator } = createRequire(import.meta.url)('graphql-query-complexity') as typeof QueryComplexity;
type ComplexityEstimator = QueryComplexity.ComplexityEstimator;

/**
 * What one resolution of a root field costs. Every root field reads or writes the database at least once (health
 * probes it too), and each alias of it resolves again: `{ a1: health … a5000: health }` is 5000 round trips, so it
 * costs 5000 times this, and an anonymous caller's small budget refuses it before it runs.
 */
export const ROOT_FIELD_COST = 10;

/**
 * Fields that cost more than a database read: the inference pool (one upload decodes and runs every model of its step),
 * password hashing (argon2id, tens of milliseconds of CPU by design). Named `Type.field`; a field declared with
 * type-graphql's `complexity` option uses that instead.
 */
export const EXPENSIVE_FIELDS: Readonly<Record<string, number>> = {
  'Mutation.uploadCapture': 200,
  'Mutation.submitSession': 50,
  'Mutation.login': 50,
};

/**
 * The estimators of an operation's cost, first match wins: a field's declared `complexity`; an expensive field's
 * table entry; a page (a `first` argument) costs its children that many times; a root field {@link ROOT_FIELD_COST};
 * any other field 1 (read by a request's DataLoaders, batched).
 */
export function fieldCostEstimators(schema: GraphQLSchema): ComplexityEstimator[] {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t!.name));
  const own: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
    const base = EXPENSIVE_FIELDS[`${type.name}.${field.name}`] ?? (roots.has(type.name) ? ROOT_FIELD_COST : 1);
    const times = typeof args.first === 'number' ? Math.max(args.first, 0) : 1;
    return base + times * childComplexity;
  };
  return [fieldExtensionsEstimator(), own];
}
