import type { HostileCase } from '../hostile-case.js';
import { gql } from '../hostile-target.js';

const deepObjectLiteral = (depth: number) => `${'{ a: '.repeat(depth)}1${' }'.repeat(depth)}`;

/** Scalars written into the document itself (literals), and ids the domain must read as opaque. */
export const scalarCases: HostileCase[] = [
  { name: 'Int literal of 2^40', send: (t) => gql(t, `{ sessions(first: ${2 ** 40}) { totalCount } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'Int literal given a string', send: (t) => gql(t, '{ sessions(first: "10") { totalCount } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'DateTimeISO literal that is no date', send: (t) => gql(t, '{ sessions(filter: { startedFrom: "yesterday" }) { totalCount } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'JSONObject literal nested 30 levels deep',
    send: (t) => gql(t, `mutation { createSession(input: { scenarioId: "${t.scenarioId}", metadata: ${deepObjectLiteral(30)} }) { session { id } } }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'JSONObject literal nested 3000 levels deep',
    send: (t) => gql(t, `mutation { createSession(input: { scenarioId: "${t.scenarioId}", metadata: ${deepObjectLiteral(3000)} }) { session { id } } }`),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  { name: 'a session id that is not an id', send: (t) => gql(t, '{ session(id: "\' or 1=1 --") { id } }'), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a session id of another shape (uuid)', send: (t) => gql(t, '{ session(id: "00000000-0000-0000-0000-000000000000") { id } }'), status: 200, code: 'NOT_FOUND' },
  { name: 'an empty session id', send: (t) => gql(t, '{ session(id: "") { id } }'), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a cursor that is not a cursor', send: (t) => gql(t, '{ sessions(after: "%%%not-base64%%%") { totalCount } }'), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a cursor of valid base64 but no JSON', send: (t) => gql(t, `{ sessions(after: "${Buffer.from('nope').toString('base64url')}") { totalCount } }`), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'createKycLinks count of a million', send: (t) => gql(t, `mutation { createKycLinks(scenarioId: "${t.scenarioId}", count: 1000000) { batchId } }`), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'Float where an Int is due', send: (t) => gql(t, '{ sessions(first: 1.5) { totalCount } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
];
