import type { HostileCase } from '../hostile-case.js';
import { http, multipart, type HostileTarget } from '../hostile-target.js';

const UPLOAD = 'mutation($s: ID!, $f: Upload!) { uploadCapture(sessionId: $s, step: 0, file: $f) { captureId } }';
const operations = (t: HostileTarget) => JSON.stringify({ query: UPLOAD, variables: { s: t.sessionId, f: null } });
const JPEG = { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]) };

/** The GraphQL multipart request spec, broken in each of its parts. */
export const multipartCases: HostileCase[] = [
  { name: 'map naming a file part that is not sent', send: (t) => multipart(t, [['operations', operations(t)], ['map', '{"0":["variables.f"]}']]), status: 400, code: 'BAD_REQUEST' },
  { name: 'operations that is not JSON', send: (t) => multipart(t, [['operations', '{nope'], ['map', '{}']]), status: 400, code: 'BAD_REQUEST' },
  { name: 'map that is not JSON', send: (t) => multipart(t, [['operations', operations(t)], ['map', '[[['], ['0', JPEG]]), status: 400, code: 'BAD_REQUEST' },
  { name: 'map pointing outside the operation', send: (t) => multipart(t, [['operations', operations(t)], ['map', '{"0":["variables.f.deep.er"]}'], ['0', JPEG]]), status: 400, code: 'BAD_REQUEST' },
  { name: 'map before operations', send: (t) => multipart(t, [['map', '{"0":["variables.f"]}'], ['operations', operations(t)], ['0', JPEG]]), status: 400, code: 'BAD_REQUEST' },
  { name: 'no operations field at all', send: (t) => multipart(t, [['0', JPEG]]), status: 400, code: 'BAD_REQUEST' },
  { name: 'the file given to a String argument', send: (t) => multipart(t, [['operations', JSON.stringify({ query: 'mutation($r: String!) { logout(refreshToken: $r) }', variables: { r: null } })], ['map', '{"0":["variables.r"]}'], ['0', JPEG]]), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'more files than allowed', send: (t) => multipart(t, [['operations', operations(t)], ['map', '{"0":["variables.f"],"1":["variables.g"]}'], ['0', JPEG], ['1', JPEG]]), status: 413, code: 'BAD_USER_INPUT', reason: 'TOO_MANY_FILES' },
  { name: 'a file over the upload limit', send: (t) => multipart(t, [['operations', operations(t)], ['map', '{"0":["variables.f"]}'], ['0', { bytes: new Uint8Array(3 * 1024 * 1024) }]]), status: 200, code: 'IMAGE_TOO_LARGE' },
  { name: 'multipart content-type without a boundary', send: (t) => http(t, { headers: { authorization: `Bearer ${t.applicant}`, 'content-type': 'multipart/form-data', 'apollo-require-preflight': 'true' }, body: 'x' }), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'multipart body cut off mid-part',
    send: (t) => http(t, { headers: { authorization: `Bearer ${t.applicant}`, 'content-type': 'multipart/form-data; boundary=XX', 'apollo-require-preflight': 'true' }, body: `--XX\r\ncontent-disposition: form-data; name="operations"\r\n\r\n${operations(t)}\r\n--XX\r\ncontent-disposition: form-data; name="map"\r\n\r\n{"0":["variables.f"]}\r\n--XX\r\ncontent-disposition: form-data; name="0"; filename="a.jpg"\r\n\r\n\u00ff\u00d8` }),
    status: 200,
    code: 'BAD_REQUEST',
    reason: 'UPLOAD_INCOMPLETE',
  },
];
