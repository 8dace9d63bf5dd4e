import { printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from '../server/auth.js';
import { HealthResolver } from './health/health.resolver.js';
import { ScenarioResolver } from './scenarios/scenario.resolver.js';
import { SessionResolver } from './sessions/session.resolver.js';
import { TokenResolver } from './tokens/token.resolver.js';

/** Every resolver class of the API. */
const resolvers = [HealthResolver, ScenarioResolver, SessionResolver, TokenResolver] as const;

/** Builds the executable schema from the type-graphql classes. Input is validated by the domain (zod), not here. */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, validate: false, authChecker, authMode: 'error' });
}

/** The SDL committed as `schema/schema.graphql` (a test fails when it is stale). */
export async function emitSchemaSdl(): Promise<string> {
  return `${printSchema(await buildGraphQLSchema())}\n`;
}
