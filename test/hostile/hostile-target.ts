import { connect } from 'node:net';
import WebSocket from 'ws';
import type { DatabaseDriver } from '../../domain/database/database.js';
import { seedTenant } from '../support/seed.js';
import { testServices } from '../support/services-env.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

/** What one hostile request came back with, whatever the transport. */
export interface Outcome {
  transport: 'http' | 'ws';
  /** HTTP status; for a socket, the close code the server chose, or 101 while it stays open. */
  status: number;
  /** `extensions.code` of every error in the answer (a missing one is `undefined`: untyped). */
  codes: (string | undefined)[];
  /** `extensions.reason` of every error that has one. */
  reasons: string[];
  /** The raw answer, searched for leaked internals. */
  text: string;
  headers?: Headers;
}

/** A node under attack, with the credentials and objects the corpus aims at. */
export interface HostileTarget {
  node: TestNode;
  url: string;
  tenantId: string;
  partner: string;
  applicant: string;
  sessionId: string;
  scenarioId: string;
}

/** The graphql-ws subprotocol (graphql-ws's GRAPHQL_TRANSPORT_WS_PROTOCOL). */
const WS_PROTOCOL = 'graphql-transport-ws';

/**
 * Starts a node for the corpus (rate limits out of the way: they have tests of their own) with a tenant, a selfie
 * scenario and an open session, seeded through the API.
 */
export async function startHostileTarget(driver: DatabaseDriver, env: Record<string, string> = {}): Promise<HostileTarget> {
  const bus: Record<string, string> = driver === 'postgresql' && testServices.redisUrl ? { REDIS_URL: testServices.redisUrl } : {};
  const node = await startTestNode(driver, {
    IDGRAPH_SEED_DEMO: 'false',
    IDGRAPH_RATE_LIMIT_ANONYMOUS: '100000',
    IDGRAPH_RATE_LIMIT_TOKEN: '100000',
    IDGRAPH_RATE_LIMIT_APPLICANT: '100000',
    IDGRAPH_INFERENCE_WORKERS: '1',
    ...bus,
    ...env,
  });
  const tenant = await seedTenant(node.services.db, 'hostile');
  const partner = tenant.token.secret;
  const as = async (query: string) => {
    const res = await postGraphQL(node.url, { query }, { authorization: `Bearer ${partner}` });
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  };
  const scenarioId = (await as('mutation { createScenario(input: { name: "hostile", steps: [{ kind: SELFIE }] }) { id } }')).createScenario.id as string;
  const created = (await as(`mutation { createSession(input: { scenarioId: "${scenarioId}" }) { applicantToken session { id } } }`)).createSession;
  return { node, url: node.url, tenantId: tenant.tenant.id, partner, applicant: created.applicantToken, sessionId: created.session.id, scenarioId };
}

function outcomeOf(status: number, text: string, headers?: Headers): Outcome {
  let body: { errors?: { extensions?: { code?: string; reason?: string } }[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const errors = body?.errors ?? [];
  const reasons = errors.flatMap((e) => (e.extensions?.reason ? [e.extensions.reason] : []));
  return { transport: 'http', status, codes: errors.map((e) => e.extensions?.code), reasons, text, headers };
}

/** Any HTTP request to the node (path `/graphql` unless given). */
export async function http(t: HostileTarget, init: { method?: string; path?: string; headers?: Record<string, string>; body?: RequestInit['body'] }): Promise<Outcome> {
  const url = new URL(init.path ?? '/graphql', t.url);
  const res = await fetch(url, { method: init.method ?? 'POST', headers: init.headers, body: init.body });
  return outcomeOf(res.status, await res.text(), res.headers);
}

/** A JSON GraphQL request; `token` null sends no credential. */
export function gql(t: HostileTarget, query: string, variables?: unknown, token: string | null = t.partner, headers: Record<string, string> = {}): Promise<Outcome> {
  return http(t, {
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

/** A JSON body sent exactly as given (malformed on purpose). */
export function rawJson(t: HostileTarget, body: string, token: string | null = t.partner, contentType = 'application/json'): Promise<Outcome> {
  return http(t, { headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
}

/** One multipart part: a form field, or a file. */
export type Part = [name: string, value: string | { bytes: Uint8Array; filename?: string; type?: string }];

/** A multipart request of the given parts, in order, as the applicant (with Apollo's CSRF preflight header). */
export function multipart(t: HostileTarget, parts: Part[], headers: Record<string, string> = { 'apollo-require-preflight': 'true' }): Promise<Outcome> {
  const form = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value.bytes)], { type: value.type ?? 'image/jpeg' }), value.filename ?? 'capture.jpg');
  }
  return http(t, { headers: { authorization: `Bearer ${t.applicant}`, ...headers }, body: form });
}

/** The usual upload of one file as the applicant, with the operation and map of the multipart spec. */
export function upload(t: HostileTarget, bytes: Uint8Array, type = 'image/jpeg'): Promise<Outcome> {
  const query = 'mutation($s: ID!, $f: Upload!) { uploadCapture(sessionId: $s, step: 0, file: $f) { captureId } }';
  return multipart(t, [
    ['operations', JSON.stringify({ query, variables: { s: t.sessionId, f: null } })],
    ['map', JSON.stringify({ 0: ['variables.f'] })],
    ['0', { bytes, type }],
  ]);
}

/** Bytes written to the HTTP port as they are (what fetch refuses to send); the answer's status line and body. */
export function rawHttp(t: HostileTarget, request: string | Buffer): Promise<Outcome> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve(outcomeOf(status, text.slice(text.indexOf('\r\n\r\n') + 4)));
    });
  });
}

/**
 * A WebSocket conversation: `connection_init` with `init` (unless `init` is false), then `frames` as they are; the
 * outcome is the close code the server chose (101 while open after `waitMs`) and the codes of every `error`
 * message, and of the errors of every `next`, it sent.
 */
export function socket(t: HostileTarget, frames: (string | Buffer)[], options: { init?: Record<string, unknown> | false; waitMs?: number } = {}): Promise<Outcome> {
  const init = options.init === undefined ? { authorization: `Bearer ${t.partner}` } : options.init;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(t.url.replace('http', 'ws'), WS_PROTOCOL);
    const messages: string[] = [];
    const codes: (string | undefined)[] = [];
    const reasons: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = (status: number) => {
      clearTimeout(timer);
      resolve({ transport: 'ws', status, codes, reasons, text: messages.join('\n') });
    };
    const sendFrames = () => {
      for (const frame of frames) ws.send(frame);
      timer = setTimeout(() => {
        ws.removeAllListeners('close');
        ws.on('close', () => undefined);
        ws.close();
        finish(101);
      }, options.waitMs ?? 1500);
    };
    ws.on('open', () => {
      if (init === false) sendFrames();
      else ws.send(JSON.stringify({ type: 'connection_init', payload: init }));
    });
    ws.on('message', (data) => {
      const text = data.toString();
      messages.push(text);
      const message = JSON.parse(text) as { type: string; payload?: any };
      if (message.type === 'connection_ack') sendFrames();
      const errors = message.type === 'error' ? message.payload : message.type === 'next' ? message.payload?.errors : undefined;
      for (const error of errors ?? []) {
        codes.push(error.extensions?.code);
        if (error.extensions?.reason) reasons.push(error.extensions.reason);
      }
    });
    ws.on('close', (code) => finish(code));
    ws.on('error', reject);
  });
}

/** A graphql-ws `subscribe` frame. */
export function subscribeFrame(id: string, query: string, variables?: unknown): string {
  return JSON.stringify({ id, type: 'subscribe', payload: { query, variables } });
}
