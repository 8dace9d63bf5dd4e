import type { HostileCase } from '../hostile-case.js';
import { gql, http, rawJson } from '../hostile-target.js';

const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

/** GraphQL documents: syntax, validation, depth, cost, size and the anonymous allow-list. */
export const documentCases: HostileCase[] = [
  { name: 'unterminated selection', send: (t) => gql(t, '{ health {'), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'unknown field', send: (t) => gql(t, '{ nope }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'raw NUL character in the document', send: (t) => gql(t, '{ health\u0000 { status } }'), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  {
    name: 'NUL by escape in a string literal',
    send: (t) => gql(t, 'mutation { createSession(input: { scenarioId: "x", externalUserId: "a\\u0000b" }) { session { id } } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    reason: 'INVALID_STRING',
  },
  {
    name: 'lone surrogate by escape in a string literal',
    send: (t) => gql(t, '{ sessions(filter: { externalUserId: "\\uD800" }) { totalCount } }'),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'string literal over the length limit',
    send: (t) => gql(t, `{ sessions(filter: { externalUserId: "${'x'.repeat(20_000)}" }) { totalCount } }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    reason: 'STRING_TOO_LONG',
  },
  {
    name: 'list literal nested 5000 levels deep',
    send: (t) => gql(t, `{ sessions(filter: { statuses: ${'['.repeat(5000)}SUCCESS${']'.repeat(5000)} }) { totalCount } }`),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'list literal nested 40 levels deep',
    send: (t) => gql(t, `{ sessions(filter: { statuses: ${'['.repeat(40)}SUCCESS${']'.repeat(40)} }) { totalCount } }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    reason: 'INPUT_TOO_DEEP',
  },
  {
    name: 'selection nested past the depth limit',
    send: (t) => gql(t, `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }`),
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'QUERY_TOO_DEEP',
  },
  {
    name: 'page cost over a partner budget',
    send: (t) => gql(t, '{ sessions(first: 100000) { edges { node { id steps { captures { id } } } } } }'),
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'QUERY_TOO_COMPLEX',
  },
  { name: '1000 aliases of health, anonymous', send: (t) => gql(t, aliases(1000, 'health { status }'), undefined, null), status: 400, code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX' },
  { name: '20000 aliases of __typename', send: (t) => gql(t, aliases(20_000, '__typename')), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'anonymous caller asks for a closed field', send: (t) => gql(t, '{ health { status } sessions { totalCount } }', undefined, null), status: 401, code: 'UNAUTHENTICATED', reason: 'PUBLIC_FIELDS_ONLY' },
  { name: 'anonymous subscription over HTTP', send: (t) => gql(t, 'subscription { sessionEvents { kind } }', undefined, null), status: 400, code: 'BAD_REQUEST' },
  { name: 'fragment cycle', send: (t) => gql(t, 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'unknown directive', send: (t) => gql(t, '{ health @evil { status } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'two operations, no operationName', send: (t) => gql(t, 'query A { health { status } } query B { health { status } }'), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  {
    name: 'operationName naming no operation',
    send: (t) => rawJson(t, JSON.stringify({ query: 'query A { health { status } }', operationName: 'B' })),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  { name: 'empty query', send: (t) => gql(t, ''), status: 400, code: 'BAD_REQUEST' },
  { name: 'query that is not a string', send: (t) => rawJson(t, JSON.stringify({ query: { evil: true } })), status: 400, code: 'BAD_REQUEST' },
  { name: 'batched array of operations', send: (t) => rawJson(t, JSON.stringify([{ query: '{ health { status } }' }, { query: '{ health { status } }' }])), status: 400, code: 'BAD_REQUEST' },
  { name: 'mutation over GET', send: (t) => http(t, { method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { logout(refreshToken: "x") }')}`, headers: { 'apollo-require-preflight': 'true' } }), status: 405, code: 'BAD_REQUEST' },
  { name: 'subscription over HTTP', send: (t) => gql(t, 'subscription { sessionEvents { kind } }'), status: 400, code: 'BAD_REQUEST' },
  { name: 'body over the JSON limit', send: (t) => gql(t, `{ health { status } } # ${'x'.repeat(1_100_000)}`), status: 413, code: 'PAYLOAD_TOO_LARGE' },
];
