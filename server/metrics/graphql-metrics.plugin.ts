import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../context.js';
import type { Metrics } from './metrics.js';

/** Distinct operation names one node labels before the rest count as `(other)`: names come from clients. */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const ERROR_CODE = /^[A-Z][A-Z_]{0,47}$/;

/**
 * Times every GraphQL operation over HTTP from the request's start to the answer, labelled by operation name, type and
 * outcome: `success`, or the `extensions.code` of the first error (what clients see, after the error formatter). A
 * request that never named a valid operation (unparsable, unknown `operationName`) is `(none)`; names are those of
 * the parsed document, bounded in length and number so that no client can grow the series without limit.
 */
export function graphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  const names = new Set<string>();
  const bounded = (name: string | undefined | null, resolved: boolean): string => {
    if (!resolved) return '(none)';
    if (!name) return '(anonymous)';
    if (!OPERATION_NAME.test(name)) return '(other)';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return '(other)';
    names.add(name);
    return name;
  };
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operation, operationName, response }) {
          const { body } = response;
          const errors: readonly GraphQLFormattedError[] | undefined = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const code = errors?.[0]?.extensions?.code;
          const outcome = !errors?.length ? 'success' : typeof code === 'string' && ERROR_CODE.test(code) ? code : 'INTERNAL_SERVER_ERROR';
          metrics.observeOperation(
            { operation: bounded(operationName, operation !== undefined), type: operation?.operation ?? 'unknown', outcome },
            (performance.now() - started) / 1000,
          );
        },
      };
    },
  };
}
