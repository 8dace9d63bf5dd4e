import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { beginReadTransaction, type RequestContext } from './context.js';

/**
 * One read-only transaction per query operation of an authenticated caller (see {@link beginReadTransaction}), begun
 * when execution starts (after the limits passed) and ended when the response is ready, whatever its outcome.
 * Mutations keep their services' own transactions; subscriptions do not come through HTTP.
 */
export function readTransactionPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<RequestContext>> {
      let end: (() => Promise<void>) | undefined;
      return {
        async executionDidStart({ operation, contextValue }) {
          if (operation.operation === 'query') end = await beginReadTransaction(contextValue);
        },
        async willSendResponse() {
          const ending = end;
          end = undefined;
          await ending?.();
        },
      };
    },
  };
}
