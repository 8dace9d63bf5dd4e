import type { HostileCase } from '../hostile-case.js';
import { gql, http, rawJson, type HostileTarget } from '../hostile-target.js';

const SESSION = 'query($id: ID!) { session(id: $id) { id } }';
const PAGE = 'query($n: Int!) { sessions(first: $n) { totalCount } }';
const CREATE = 'mutation($i: CreateSessionInput!) { createSession(input: $i) { session { id } } }';
const FILTER = 'query($f: SessionFilterInput) { sessions(filter: $f) { totalCount } }';
/** A query over GET, variables in the URL as the GraphQL over HTTP spec has them. */
const get = (t: HostileTarget, query: string, variables: string) =>
  http(t, { method: 'GET', path: `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(variables)}`, headers: { authorization: `Bearer ${t.partner}`, 'apollo-require-preflight': 'true' } });

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

/** Variables: missing, mistyped, out of range, hostile strings and shapes. */
export const variableCases: HostileCase[] = [
  { name: 'ID! not given', send: (t) => gql(t, SESSION, {}), status: 400, code: 'BAD_USER_INPUT', reason: 'INVALID_VARIABLES' },
  { name: 'ID! given null', send: (t) => gql(t, SESSION, { id: null }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'Int of 2^40', send: (t) => gql(t, PAGE, { n: 2 ** 40 }), status: 400, code: 'BAD_USER_INPUT', reason: 'INVALID_VARIABLES' },
  { name: 'Int given as a string', send: (t) => gql(t, PAGE, { n: '5' }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'Int given a fraction', send: (t) => gql(t, PAGE, { n: 1.5 }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'negative page size', send: (t) => gql(t, PAGE, { n: -5 }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'variables that are a string', send: (t) => rawJson(t, JSON.stringify({ query: SESSION, variables: 'id=1' })), status: 400, code: 'BAD_REQUEST' },
  { name: 'variables that are an array', send: (t) => rawJson(t, JSON.stringify({ query: SESSION, variables: [1] })), status: 400, code: 'BAD_REQUEST' },
  { name: 'extensions that are a string', send: (t) => rawJson(t, JSON.stringify({ query: '{ health { status } }', extensions: 'x' })), status: 400, code: 'BAD_REQUEST' },
  { name: 'NUL in a string variable', send: (t) => gql(t, CREATE, { i: { scenarioId: t.scenarioId, externalUserId: 'a\u0000b' } }), status: 400, code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' },
  { name: 'NUL in a variable name', send: (t) => gql(t, SESSION, { id: 'x', 'a\u0000': 1 }), status: 400, code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' },
  { name: 'lone high surrogate in a string variable', send: (t) => gql(t, FILTER, { f: { externalUserId: 'a\ud800b' } }), status: 400, code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' },
  { name: 'lone low surrogate in a string variable', send: (t) => gql(t, FILTER, { f: { externalUserId: '\udc00' } }), status: 400, code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' },
  { name: 'string variable over the length limit', send: (t) => gql(t, FILTER, { f: { externalUserId: 'x'.repeat(100_000) } }), status: 400, code: 'BAD_USER_INPUT', reason: 'STRING_TOO_LONG' },
  { name: 'enum value that does not exist', send: (t) => gql(t, FILTER, { f: { statuses: ['HACKED'] } }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'unknown input field', send: (t) => gql(t, FILTER, { f: { tenantId: 'other' } }), status: 400, code: 'BAD_USER_INPUT' },
  { name: '__proto__ as an input field', send: (t) => rawJson(t, `{"query":${JSON.stringify(FILTER)},"variables":{"f":{"__proto__":{"admin":true}}}}`), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'variables nested 50 000 levels deep', send: (t) => rawJson(t, `{"query":${JSON.stringify(CREATE)},"variables":{"i":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}}`), status: 400, code: 'BAD_USER_INPUT', reason: 'INPUT_TOO_DEEP' },
  { name: 'a list of 100 000 enum values', send: (t) => gql(t, FILTER, { f: { statuses: Array.from({ length: 100_000 }, () => 'SUCCESS') } }), status: 200, code: null },
  { name: 'a number too large for JSON (1e400)', send: (t) => rawJson(t, `{"query":${JSON.stringify(PAGE)},"variables":{"n":1e400}}`), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'JSONObject nested 20 levels deep', send: (t) => gql(t, CREATE, { i: { scenarioId: t.scenarioId, metadata: nested(20) } }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'JSONObject of 200 KiB', send: (t) => gql(t, CREATE, { i: { scenarioId: t.scenarioId, metadata: { blob: Array.from({ length: 20 }, () => 'y'.repeat(10_000)) } } }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'JSONObject given an array', send: (t) => gql(t, CREATE, { i: { scenarioId: t.scenarioId, metadata: [1, 2] } }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'DateTimeISO that is no date', send: (t) => gql(t, FILTER, { f: { startedFrom: '2026-13-45T99:00:00Z' } }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'Upload variable sent as JSON', send: (t) => gql(t, 'mutation($f: Upload!) { uploadCapture(sessionId: "x", step: 0, file: $f) { captureId } }', { f: 'data:image/png;base64,AAAA' }, t.applicant), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'GET: variables that are not JSON', send: (t) => get(t, SESSION, '{id:'), status: 400, code: 'BAD_REQUEST' },
  { name: 'GET: NUL in a variable', send: (t) => get(t, SESSION, JSON.stringify({ id: 'a\u0000' })), status: 400, code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' },
  { name: 'GET: Int of 2^40', send: (t) => get(t, PAGE, JSON.stringify({ n: 2 ** 40 })), status: 400, code: 'BAD_USER_INPUT', reason: 'INVALID_VARIABLES' },
];
