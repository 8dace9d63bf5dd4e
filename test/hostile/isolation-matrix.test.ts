import { buildClientSchema, getIntrospectionQuery, getNamedType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Topic } from '../../domain/events/event.types.js';
import { TYPED_CODES } from './hostile-case.js';
import { seedTenant } from '../support/seed.js';
import { testDrivers } from '../support/test-database.js';
import { gql, multipart, startHostileTarget, type HostileTarget, type Outcome, type Part } from './hostile-target.js';
import { operationWith, plausibleArguments, roundsFor, type TargetIds } from './plausible-arguments.js';

/** The credentials that must reach nothing of tenant A's session S1 (and, but for the last two, nothing of A at all). */
type Caller = 'otherPartner' | 'otherOperator' | 'revoked' | 'expired' | 'tampered' | 'noScope' | 'otherApplicant';
const CALLERS: readonly Caller[] = ['otherPartner', 'otherOperator', 'revoked', 'expired', 'tampered', 'noScope', 'otherApplicant'];
/** Callers inside tenant A: they may see A's tenant itself (and the applicant its own session), nothing else of A. */
const INSIDE_A = new Set<Caller>(['noScope', 'otherApplicant']);


type Kind = 'query' | 'mutation' | 'subscription';

/**
 * The isolation matrix (issue 19), generated from the schema the node itself introspects: every query, mutation and
 * subscription field is called with arguments built from its types and aimed at tenant A's objects, by another
 * tenant's partner and operator, by an applicant of another session, by a revoked, an expired and a tampered token and
 * by a token without scopes. A field added tomorrow is called too. The test fails only when an answer carries something
 * of A (its ids, names, the external user id: markers searched in the whole answer), when an answer is untyped or a 5xx,
 * or when A's objects changed.
 */
describe.each(testDrivers('isolation matrix'))('isolation matrix from introspection on %s', (driver) => {
  let t: HostileTarget;
  let schema: GraphQLSchema;
  const tokens = {} as Record<Caller, string>;
  /** A's objects, which the arguments aim at. */
  const ids: TargetIds = {};
  /** What no caller may see, and what callers outside A may not see either. */
  const secrets: string[] = [];
  const tenantSecrets: string[] = [];

  const asA = async (query: string, variables?: unknown) => {
    const outcome = await gql(t, query, variables);
    const body = JSON.parse(outcome.text);
    if (body.errors) throw new Error(`${query}: ${outcome.text}`);
    return body.data;
  };

  /** A's objects as A's full partner sees them: compared before and after the matrix. */
  const snapshotOfA = () =>
    asA(`{
      sessions(first: 100) { totalCount edges { node { id status externalUserId reviewAnswer finishedAt steps { status captures { id } } } } }
      scenarios(includeArchived: true) { id version name archived }
      apiTokens { id name revokedAt }
      faceLists { id size }
      kycLinks(first: 100) { edges { node { id status sessionId } } }
      tenant { id name slug }
    }`);

  beforeAll(async () => {
    // The standard introspection query nests its type references deeper than the default limit of 12.
    t = await startHostileTarget(driver, { IDGRAPH_MAX_QUERY_DEPTH: '16' });
    const secret = `isolation-secret-${Date.now()}`;
    const s1 = (await asA(`mutation { createScenario(input: { name: "${secret}-scenario", steps: [{ kind: SELFIE }] }) { id schemaId } }`)).createScenario;
    const session = (await asA(`mutation { createSession(input: { scenarioId: "${s1.id}", externalUserId: "${secret}-user" }) { session { id } } }`)).createSession.session.id;
    const links = (await asA(`mutation { createKycLinks(scenarioId: "${s1.id}", count: 1) { batchId links { link { id } token } } }`)).createKycLinks;
    const lists = (await asA('{ faceLists { id } }')).faceLists.map((l: { id: string }) => l.id);
    const owner = (await asA('{ apiTokens { id } }')).apiTokens.map((x: { id: string }) => x.id);
    Object.assign(ids, { session: [session, t.sessionId], scenario: [s1.id, s1.schemaId, t.scenarioId], list: lists, batch: [links.batchId], link: [links.links[0].link.id], token: owner });
    secrets.push(secret, session, t.sessionId, t.scenarioId, s1.id, s1.schemaId, links.batchId, links.links[0].link.id, links.links[0].token, ...lists, ...owner);

    // Callers inside A: a token without scopes, and the applicant of another session (the target's own session).
    const created = async (scopes: string[], expiresAt?: string) =>
      (await asA('mutation($s: [String!]!, $e: DateTimeISO) { createApiToken(name: "matrix", scopes: $s, expiresAt: $e) { secret token { id } } }', { s: scopes, e: expiresAt })).createApiToken;
    tokens.noScope = (await created([])).secret;
    tokens.otherApplicant = t.applicant;
    // Revoked, expired and tampered credentials of A with every scope.
    const revoked = await created(['sessions:read', 'sessions:write', 'scenarios:write', 'tokens:manage']);
    await asA(`mutation { revokeApiToken(id: "${revoked.token.id}") { id } }`);
    tokens.revoked = revoked.secret;
    const expiresAt = new Date(Date.now() + 1500);
    tokens.expired = (await created(['sessions:read', 'sessions:write', 'scenarios:write', 'tokens:manage'], expiresAt.toISOString())).secret;
    tokens.tampered = `${t.partner.slice(0, -4)}${t.partner.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    // Tenant B.
    const b = await seedTenant(t.node.services.db, 'matrix-b');
    tokens.otherPartner = b.token.secret;
    const login = await gql(t, 'mutation($t: String!, $e: String!, $p: String!) { login(tenant: $t, email: $e, password: $p) { accessToken } }', { t: b.tenant.slug, e: b.owner.email, p: b.ownerPassword }, null);
    tokens.otherOperator = JSON.parse(login.text).data.login.accessToken;
    const a = (await asA('{ tenant { id name slug } }')).tenant;
    tenantSecrets.push(a.id, a.name, a.slug);

    schema = buildClientSchema(await asA(getIntrospectionQuery()));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now() + 100)));
  });
  afterAll(() => t?.node.dispose());

  /** Every root field as `[kind, field]`, from the introspected schema. */
  const rootFields = (): [Kind, GraphQLField<unknown, unknown>][] =>
    (['query', 'mutation', 'subscription'] as const).flatMap((kind) => {
      const type = kind === 'query' ? schema.getQueryType() : kind === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
      return type ? Object.values(type.getFields()).map((field) => [kind, field] as [Kind, GraphQLField<unknown, unknown>]) : [];
    });

  /** Fails when an answer to `caller` holds anything of A it must not, or is untyped. */
  function assertNothingOfA(caller: Caller, label: string, outcome: Outcome): void {
    const context = `${label} as ${caller}: ${outcome.text.slice(0, 400)}`;
    if (outcome.transport === 'http') expect(outcome.status, context).toBeLessThan(500);
    else expect([CloseCode.InternalServerError, 1011], context).not.toContain(outcome.status);
    for (const code of outcome.codes) expect(TYPED_CODES.has(code ?? ''), context).toBe(true);
    expect(leaksIn(caller, outcome.text), context).toEqual([]);
  }

  /** A's markers found in an answer to `caller`. */
  function leaksIn(caller: Caller, text: string): string[] {
    const forbidden = INSIDE_A.has(caller) ? secrets : [...secrets, ...tenantSecrets];
    const own = caller === 'otherApplicant' ? [t.sessionId, t.scenarioId] : [];
    return forbidden.filter((s) => !own.includes(s) && text.includes(s));
  }

  /** A query or mutation over HTTP; one with `Upload` arguments as a multipart request carrying a small JPEG for each. */
  function send(caller: Caller, field: GraphQLField<unknown, unknown>, query: string, variables: Record<string, unknown>): Promise<Outcome> {
    const files = field.args.filter((a) => getNamedType(a.type).name === 'Upload').map((a) => a.name);
    if (files.length === 0) return gql(t, query, variables, tokens[caller]);
    return multipart(
      t,
      [
        ['operations', JSON.stringify({ query, variables })],
        ['map', JSON.stringify(Object.fromEntries(files.map((name, i) => [String(i), [`variables.${name}`]])))],
        ...files.map((_, i): Part => [String(i), { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]) }]),
      ],
      { 'apollo-require-preflight': 'true', authorization: `Bearer ${tokens[caller]}` },
    );
  }

  /** A subscription over graphql-ws: what the socket got while A's session and scenario produced events. */
  async function subscribeAs(caller: Caller, query: string, variables: Record<string, unknown>): Promise<Outcome> {
    const ws = new WebSocket(t.url.replace('http', 'ws'), 'graphql-transport-ws');
    const messages: string[] = [];
    const codes: (string | undefined)[] = [];
    const closed = new Promise<number>((resolve) => ws.on('close', resolve));
    const settled = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        const text = data.toString();
        messages.push(text);
        const message = JSON.parse(text);
        if (message.type === 'connection_ack') ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
        for (const e of message.type === 'error' ? message.payload : (message.payload?.errors ?? [])) codes.push(e.extensions?.code);
        if (message.type === 'error' || message.type === 'complete') resolve();
      });
      void closed.then(() => resolve());
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tokens[caller]}` } }));
    // A's session changes while the subscription runs; whatever reached this socket by the time A's own live log
    // carried the change (the same bus, delivered in order), plus a moment to write it out, is what it was given.
    const own = await aLiveLog();
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 300))]);
    await t.node.services.events.publish({ topic: Topic.SESSION_STATUS_CHANGED, tenantId: t.tenantId, sessionId: ids.session![0]!, scenarioId: ids.scenario![0]!, status: 'IN_PROGRESS', at: new Date().toISOString() });
    await asA(`mutation { createSession(input: { scenarioId: "${ids.scenario![0]}" }) { session { id } } }`);
    await own.seen(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    own.close();
    ws.close();
    const status = await closed;
    return { transport: 'ws', status, codes, reasons: [], text: messages.join('\n') };
  }

  /** A's own unfiltered live log on a socket of its own: it sees A's events once they are on the bus. */
  async function aLiveLog(): Promise<{ seen(n: number): Promise<void>; close(): void }> {
    const ws = new WebSocket(t.url.replace('http', 'ws'), 'graphql-transport-ws');
    let count = 0;
    let live: () => void;
    const isLive = new Promise<void>((resolve) => (live = resolve));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: 'log', type: 'subscribe', payload: { query: 'subscription { sessionEvents { kind } }' } }));
        // graphql-ws cannot say when the server has subscribed: a ping after the subscribe is answered after it.
        ws.send(JSON.stringify({ type: 'ping' }));
      }
      if (message.type === 'pong') live();
      if (message.type === 'next') count += 1;
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${t.partner}` } }));
    await isLive;
    return {
      async seen(n) {
        while (count < n) await new Promise((resolve) => setTimeout(resolve, 10));
      },
      close: () => ws.close(),
    };
  }

  it('covers every root field of the introspected schema', () => {
    const fields = rootFields().map(([kind, f]) => `${kind}.${f.name}`);
    expect(fields).toEqual(expect.arrayContaining(['query.session', 'mutation.createSession', 'subscription.sessionUpdated']));
    expect(fields.length).toBeGreaterThan(25);
  });

  it('would notice a leak: the same calls by A itself find A everywhere', async () => {
    const queries = rootFields().filter(([kind]) => kind === 'query');
    const leaking = [];
    for (const [kind, field] of queries) {
      const variables = plausibleArguments(field, ids, 0);
      const outcome = await gql(t, operationWith(kind, field, variables), variables);
      if (leaksIn('otherPartner', outcome.text).length > 0) leaking.push(field.name);
    }
    expect(leaking).toEqual(expect.arrayContaining(['session', 'sessions', 'scenario', 'scenarios', 'faceLists', 'apiTokens', 'tenant', 'kycLinks']));
  });

  it.each(CALLERS)('answers %s nothing of tenant A, on any field', async (caller) => {
    const before = await snapshotOfA();
    let calls = 0;
    for (const [kind, field] of rootFields()) {
      for (let round = 0; round < roundsFor(field, ids); round++) {
        const variables = plausibleArguments(field, ids, round);
        const query = operationWith(kind, field, variables);
        const outcome = kind === 'subscription' ? await subscribeAs(caller, query, variables) : await send(caller, field, query, variables);
        assertNothingOfA(caller, `${kind}.${field.name}#${round}`, outcome);
        calls += 1;
      }
    }
    expect(calls).toBeGreaterThan(30);
    console.info(`isolation matrix: ${calls} calls over ${rootFields().length} root fields as ${caller}`);
    const after = await snapshotOfA();
    // The subscriptions' probes created sessions of A on purpose: A's other objects are as they were.
    const probes = new Set(after.sessions.edges.map((e: { node: { id: string } }) => e.node.id).filter((id: string) => !before.sessions.edges.some((e: { node: { id: string } }) => e.node.id === id)));
    const withoutProbes = { ...after, sessions: { totalCount: after.sessions.totalCount - probes.size, edges: after.sessions.edges.filter((e: { node: { id: string } }) => !probes.has(e.node.id)) } };
    expect(withoutProbes).toEqual(before);
  });
});
