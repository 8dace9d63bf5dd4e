import type { HostileCase } from '../hostile-case.js';
import { gql, http, rawHttp } from '../hostile-target.js';

const HEALTH = JSON.stringify({ query: '{ health { status } }' });

/** HTTP heads: media types, credentials, CSRF, origins, malformed HTTP itself. */
export const headerCases: HostileCase[] = [
  { name: 'text/plain body (CSRF-prone simple request)', send: (t) => http(t, { headers: { 'content-type': 'text/plain' }, body: HEALTH }), status: 415, code: 'BAD_REQUEST' },
  { name: 'no content-type', send: (t) => http(t, { body: new Uint8Array(Buffer.from(HEALTH)) }), status: 415, code: 'BAD_REQUEST', reason: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'unsupported media type (application/xml)', send: (t) => http(t, { headers: { 'content-type': 'application/xml' }, body: '<query/>' }), status: 415, code: 'BAD_REQUEST' },
  { name: 'JSON with an unsupported charset', send: (t) => http(t, { headers: { 'content-type': 'application/json; charset=latin1' }, body: HEALTH }), status: 415, code: 'BAD_REQUEST' },
  { name: 'invalid JSON', send: (t) => http(t, { headers: { 'content-type': 'application/json' }, body: '{"query": "{ health { status } }"' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'JSON body that is a number', send: (t) => http(t, { headers: { 'content-type': 'application/json' }, body: '42' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'accept only text/html', send: (t) => http(t, { headers: { 'content-type': 'application/json', accept: 'text/html' }, body: HEALTH }), status: 406, code: 'BAD_REQUEST' },
  { name: 'unknown path', send: (t) => http(t, { method: 'GET', path: '/admin' }), status: 404, code: 'NOT_FOUND' },
  { name: 'PUT to /graphql', send: (t) => http(t, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: HEALTH }), status: 405, code: 'BAD_REQUEST' },
  { name: 'preflight from an origin not on the list', send: (t) => http(t, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }), status: 403, code: 'FORBIDDEN', reason: 'ORIGIN_NOT_ALLOWED' },
  { name: 'bearer token that is garbage', send: (t) => gql(t, '{ viewer { kind } }', undefined, 'idg_garbage'), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a tampered partner token', send: (t) => gql(t, '{ viewer { kind } }', undefined, `${t.partner.slice(0, -4)}AAAA`), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a tampered applicant token', send: (t) => gql(t, '{ viewer { kind } }', undefined, `${t.applicant.slice(0, -6)}AAAAAA`), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'Basic credentials', send: (t) => http(t, { headers: { 'content-type': 'application/json', authorization: 'Basic YWRtaW46YWRtaW4=' }, body: JSON.stringify({ query: '{ viewer { kind } }' }) }), status: 401, code: 'UNAUTHENTICATED' },
  {
    name: 'multipart without the CSRF preflight header',
    send: (t) => {
      const form = new FormData();
      form.append('operations', HEALTH);
      form.append('map', '{}');
      return http(t, { body: form });
    },
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'headers over 16 KiB', send: (t) => rawHttp(t, `POST /graphql HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\ncontent-length: 0\r\n\r\n`), status: 431, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'malformed request line', send: (t) => rawHttp(t, 'HELLO WORLD\r\n\r\n'), status: 400, code: 'BAD_REQUEST' },
  { name: 'content-length larger than the body', send: (t) => rawHttp(t, `POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n${HEALTH}`), status: 400, code: 'BAD_REQUEST' },
  { name: 'NUL in a header value', send: (t) => rawHttp(t, `POST /graphql HTTP/1.1\r\nhost: x\r\nauthorization: Bearer a\u0000b\r\ncontent-length: 0\r\n\r\n`), status: 400, code: 'BAD_REQUEST' },
];
