import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import type { AuthStore } from './auth.js';
import { graphql } from './generated/gql.js';

/** GraphQL is served by the same node as the console. */
export const GRAPHQL_PATH = '/graphql';

const RefreshDocument = graphql(`
  mutation ConsoleRefresh($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      accessToken
      accessTokenExpiresAt
      refreshToken
    }
  }
`);

/**
 * The Apollo client: queries and mutations over HTTP, subscriptions over graphql-ws on the same origin, both with the
 * bearer `token()` gives (the operator's, refreshed as needed, or an applicant's). The WebSocket reconnects with a
 * fresh token.
 */
export function createApolloClient(token: () => Promise<string | null>, origin = window.location.origin): ApolloClient {
  const auth = new SetContextLink(async (prev) => {
    const bearer = await token();
    return { headers: { ...(prev.headers as Record<string, string> | undefined), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) } };
  });
  const http = new HttpLink({ uri: `${origin}${GRAPHQL_PATH}` });
  const ws = new GraphQLWsLink(
    createClient({
      url: `${origin.replace(/^http/, 'ws')}${GRAPHQL_PATH}`,
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      connectionParams: async () => {
        const bearer = await token();
        return bearer ? { authorization: `Bearer ${bearer}` } : {};
      },
    }),
  );
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    ws,
    ApolloLink.from([auth, http]),
  );
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

/** Wires the store's token refresh to the `refreshSession` mutation of a client without credentials of its own. */
export function connectRefresh(store: AuthStore, origin = window.location.origin): void {
  const anonymous = createApolloClient(async () => null, origin);
  store.useRefresher(async (refreshToken) => {
    const { data } = await anonymous.mutate({ mutation: RefreshDocument, variables: { refreshToken } });
    if (!data) throw new Error('refresh refused');
    return data.refreshSession;
  });
}
