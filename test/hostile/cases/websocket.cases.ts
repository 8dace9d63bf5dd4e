import { CloseCode } from 'graphql-ws';
import type { HostileCase } from '../hostile-case.js';
import { socket, subscribeFrame } from '../hostile-target.js';

const EVENTS = 'subscription { sessionEvents { kind } }';

/** GraphQL over WebSocket: frames out of protocol, and operations refused like over HTTP. */
export const websocketCases: HostileCase[] = [
  { name: 'a text frame that is not JSON', send: (t) => socket(t, ['{nope']), status: CloseCode.BadRequest, code: null },
  { name: 'a binary frame', send: (t) => socket(t, [Buffer.from([0, 1, 2, 3])]), status: CloseCode.BadRequest, code: null },
  { name: 'an unknown message type', send: (t) => socket(t, [JSON.stringify({ type: 'hack' })]), status: CloseCode.BadRequest, code: null },
  { name: 'subscribe without a query', send: (t) => socket(t, [JSON.stringify({ id: '1', type: 'subscribe', payload: {} })]), status: CloseCode.BadRequest, code: null },
  { name: 'subscribe before connection_init', send: (t) => socket(t, [subscribeFrame('1', EVENTS)], { init: false }), status: CloseCode.Unauthorized, code: null },
  { name: 'a second connection_init', send: (t) => socket(t, [JSON.stringify({ type: 'connection_init', payload: {} })]), status: CloseCode.TooManyInitialisationRequests, code: null },
  { name: 'connection_init without a credential', send: (t) => socket(t, [], { init: {} }), status: CloseCode.Forbidden, code: null },
  { name: 'connection_init with a tampered token', send: (t) => socket(t, [], { init: { authorization: `Bearer ${t.partner.slice(0, -3)}AAA` } }), status: CloseCode.Forbidden, code: null },
  { name: 'two subscriptions with one id', send: (t) => socket(t, [subscribeFrame('1', EVENTS), subscribeFrame('1', EVENTS)]), status: CloseCode.SubscriberAlreadyExists, code: null },
  { name: 'a frame over 64 KiB', send: (t) => socket(t, [subscribeFrame('1', `${EVENTS} # ${'x'.repeat(70_000)}`)]), status: 1009, code: null },
  { name: 'a syntax error', send: (t) => socket(t, [subscribeFrame('1', 'subscription {')]), status: 101, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'an unknown field', send: (t) => socket(t, [subscribeFrame('1', 'subscription { nope }')]), status: 101, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'an ID! variable not given', send: (t) => socket(t, [subscribeFrame('1', 'subscription($id: ID!) { sessionUpdated(id: $id) { kind } }', {})]), status: 101, code: 'BAD_USER_INPUT', reason: 'INVALID_VARIABLES' },
  { name: 'a NUL in a variable', send: (t) => socket(t, [subscribeFrame('1', 'subscription($id: ID!) { sessionUpdated(id: $id) { kind } }', { id: 'a\u0000' })]), status: 101, code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' },
  { name: 'a lone surrogate in a literal', send: (t) => socket(t, [subscribeFrame('1', 'subscription { sessionUpdated(id: "\\uDFFF") { kind } }')]), status: 101, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'a selection past the depth limit', send: (t) => socket(t, [subscribeFrame('1', '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }')]), status: 101, code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_DEEP' },
  { name: 'a session that does not exist', send: (t) => socket(t, [subscribeFrame('1', 'subscription { sessionUpdated(id: "nope") { kind } }')]), status: 101, code: 'BAD_USER_INPUT' },
  {
    name: 'more subscriptions than one socket may hold',
    send: (t) => socket(t, Array.from({ length: 4 }, (_, i) => subscribeFrame(String(i), EVENTS))),
    status: 101,
    code: 'RATE_LIMITED',
    reason: 'TOO_MANY_SUBSCRIPTIONS',
  },
];
