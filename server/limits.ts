import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { getOperationAST, getVariableValues, GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { createRequire } from 'node:module';
import type * as QueryComplexity from 'graphql-query-complexity';
import { getMetadataStorage } from 'type-graphql';
import { PUBLIC } from './auth.js';
import type { Principal, RequestContext } from './context.js';
import { ApiError, ApiErrorCode } from './errors.js';
import { fieldCostEstimators } from './field-costs.js';
import { assertSafeVariables, type InputLimits } from './input-guard.js';

// See server/field-costs.ts: the CommonJS build shares our graphql instance.
const { getComplexity } = createRequire(import.meta.url)('graphql-query-complexity') as typeof QueryComplexity;

/**
 * Most tokens a GraphQL document may have (graphql-js's `maxTokens`, over HTTP and WebSocket): it bounds the parser's
 * work and its recursion, so literals nested thousands of levels deep fail to parse instead of overflowing the stack of
 * validation later. The console's largest operation has a few hundred; 2000 aliases of `health { status }` are 12 000
 * (and refused by their cost anyway).
 */
export const MAX_DOCUMENT_TOKENS = 15_000;

/** The cost one operation may have, by kind of caller. */
export interface QueryBudgets {
  /** A partner token. @default 5000 */
  partner: number;
  /** A signed-in operator. @default 5000 */
  operator: number;
  /** An applicant token (one session's widget). @default 500 */
  applicant: number;
  /** No valid credential: `health`, `login` and the other public fields only. @default 60 */
  anonymous: number;
}

/** Query limits. */
export interface QueryLimits extends InputLimits {
  /** Deepest selection nesting accepted. @default 12 */
  maxDepth: number;
  budgets: QueryBudgets;
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

/** Root fields declared `@Authorized(PUBLIC)`, as `query.health`, `mutation.login`: the only ones anonymous callers reach. */
function publicRootFields(): ReadonlySet<string> {
  const storage = getMetadataStorage();
  const of = (operation: string, defs: readonly { schemaName: string; roles?: unknown[] }[]) =>
    defs.filter((d) => d.roles?.includes(PUBLIC)).map((d) => `${operation}.${d.schemaName}`);
  return new Set([...of('query', storage.queries), ...of('mutation', storage.mutations), ...of('subscription', storage.subscriptions)]);
}

/** Top-level field names an operation selects (fragments spread at the root expanded; `__typename` and introspection left out). */
function rootFieldNames(document: DocumentNode, set: SelectionSetNode, seen = new Set<string>()): string[] {
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__') ? [] : [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNames(document, selection.selectionSet, seen);
    if (seen.has(selection.name.value)) return [];
    seen.add(selection.name.value);
    const fragment = document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
    return fragment ? rootFieldNames(document, fragment.selectionSet, seen) : [];
  });
}

function budgetOf(principal: Principal, budgets: QueryBudgets): number {
  if (principal.kind === 'token') return budgets.partner;
  if (principal.kind === 'user') return budgets.operator;
  if (principal.kind === 'applicant') return budgets.applicant;
  return budgets.anonymous;
}

/** An ApiError answered with HTTP `status` (Apollo reads `extensions.http` of errors raised before execution). */
function refusal(code: ApiErrorCode, status: number, message: string, details: Record<string, unknown> = {}): ApiError {
  return new ApiError(code, message, { ...details, http: { status } });
}

/**
 * Admits an operation, or refuses it before anything runs (HTTP and WebSocket alike, after parsing and validation), in
 * this order: variables safe at the edge (strings, depth: server/input-guard.ts); variables of the declared types, as
 * GraphQL coerces them (an `ID!` not given, an `Int` of 2^40: BAD_USER_INPUT, HTTP 400, the check the cost estimate
 * would otherwise trip over first); an anonymous caller selects public fields only (UNAUTHENTICATED, 401); the
 * selection no deeper than `maxDepth` (QUERY_TOO_DEEP, 400); its cost within the caller's budget (QUERY_TOO_COMPLEX,
 * 400; costs in server/field-costs.ts). One request thus cannot load the database, the pool or the event loop at will.
 */
export function createOperationAdmission(schema: GraphQLSchema, limits: QueryLimits) {
  const publicFields = publicRootFields();
  const estimators = fieldCostEstimators(schema);
  return (principal: Principal, operation: { document: DocumentNode; variables?: Record<string, unknown> | null; operationName?: string | null }): void => {
    const { document, operationName } = operation;
    const variables = operation.variables ?? {};
    assertSafeVariables(variables, limits);
    const definition = getOperationAST(document, operationName);
    if (!definition) {
      const message = operationName ? `no operation named "${operationName}"` : 'the document has several operations: name one (operationName)';
      throw new GraphQLError(message, { extensions: { code: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } } });
    }
    const coerced = getVariableValues(schema, definition.variableDefinitions ?? [], variables, { maxErrors: 10 });
    if (coerced.errors) {
      const [first] = coerced.errors;
      throw refusal(ApiErrorCode.BAD_USER_INPUT, 400, first!.message, { reason: 'INVALID_VARIABLES', problems: coerced.errors.map((e) => e.message) });
    }
    if (principal.kind === 'anonymous') {
      const closed = rootFieldNames(document, definition.selectionSet).filter((name) => !publicFields.has(`${definition.operation}.${name}`));
      if (closed.length > 0) {
        throw refusal(ApiErrorCode.UNAUTHENTICATED, 401, 'a valid bearer token is required', { reason: 'PUBLIC_FIELDS_ONLY', fields: [...new Set(closed)] });
      }
    }
    const depth = queryDepth(document, operationName);
    if (depth > limits.maxDepth) {
      throw refusal(ApiErrorCode.BAD_USER_INPUT, 400, `query depth ${depth} exceeds ${limits.maxDepth}`, { reason: 'QUERY_TOO_DEEP', depth, maxDepth: limits.maxDepth });
    }
    const budget = budgetOf(principal, limits.budgets);
    const complexity = getComplexity({ schema, query: document, variables, operationName: operationName ?? undefined, estimators });
    if (complexity > budget) {
      throw refusal(ApiErrorCode.BAD_USER_INPUT, 400, `query cost ${complexity} exceeds ${budget}`, { reason: 'QUERY_TOO_COMPLEX', complexity, maxComplexity: budget });
    }
  };
}

/** {@link createOperationAdmission} for every HTTP operation, once Apollo has parsed and validated it. */
export function queryLimitsPlugin(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin<RequestContext> {
  const admit = createOperationAdmission(schema, limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operation, contextValue }) {
          if (operation?.operation === 'subscription') {
            throw new ApiError(ApiErrorCode.BAD_REQUEST, 'subscriptions are served over WebSocket (graphql-ws) at this path', { http: { status: 400 } });
          }
          admit(contextValue.principal, { document, variables: request.variables, operationName: request.operationName });
        },
      };
    },
  };
}
