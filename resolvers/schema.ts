import { printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { HealthResolver } from './health/health.resolver.js';

/** Every resolver class of the API. */
const resolvers = [HealthResolver] as const;

/** Builds the executable schema from the type-graphql classes. */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, validate: false });
}

/** The SDL committed as `schema/schema.graphql` (a test fails when it is stale). */
export async function emitSchemaSdl(): Promise<string> {
  return `${printSchema(await buildGraphQLSchema())}\n`;
}
