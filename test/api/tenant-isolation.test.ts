import { getNamedType, type GraphQLSchema } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cropSelfie, readDemoPhoto } from '../../bench/faces-fixtures.js';
import { PORTRAIT_SOURCES } from '../../inference/documents/testing/document-generator.js';
import { buildGraphQLSchema } from '../../resolvers/schema.js';
import { untilLive } from '../support/live-subscription.js';
import { postMultipart } from '../support/multipart.js';
import { seedTenant } from '../support/seed.js';
import { testServices } from '../support/services-env.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

/**
 * The tenant-isolation test: every root field of the schema is called with tenant B's three kinds of
 * credentials against tenant A's objects, and B gets nothing. The list of root fields comes from the built schema, so
 * a field added without a case here fails the first test.
 */

/** B's credentials: its partner token, its owner signed in (the most an operator may do), an applicant of B. */
type Caller = 'partner' | 'operator' | 'applicant';
const CALLERS: readonly Caller[] = ['partner', 'operator', 'applicant'];

type Body = { data?: any; errors?: { message: string; extensions: { code: string; reason?: string } }[] };

const NO_LIVENESS = '{ code: "RECAPTURED_FACE", enabled: false, effect: IGNORE }, { code: "FACE_LIVENESS_ERR", enabled: false, effect: IGNORE }';
const UPLOAD = 'mutation($sessionId: ID!, $file: Upload!) { uploadCapture(sessionId: $sessionId, step: 0, file: $file) { session { id status } } }';

/** The root fields of a schema as `Query.viewer`, `Mutation.login`, `Subscription.sessionEvents`, …. */
function rootFields(schema: GraphQLSchema): string[] {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
    type ? Object.keys(type.getFields()).map((field) => `${getNamedType(type).name}.${field}`) : [],
  );
}

describe.each(testDrivers('tenant isolation'))('tenant isolation of every root field on %s', (driver) => {
  let node: TestNode;
  let schema: GraphQLSchema;
  const clients: Client[] = [];

  /** Tenant A's objects, which B must never reach. */
  const a = {} as {
    tenant: Awaited<ReturnType<typeof seedTenant>>;
    scenarioId: string;
    schemaId: string;
    sessionId: string;
    applicantToken: string;
    faceId: string;
    blacklistId: string;
    customersId: string;
    linkId: string;
    linkToken: string;
    batchId: string;
    refreshToken: string;
    passwordLinkToken: string;
  };
  /** Tenant B and its credentials. */
  const b = {} as {
    tenant: Awaited<ReturnType<typeof seedTenant>>;
    tokens: Record<Caller, string>;
    ownerId: string;
    sessionId: string;
    scenarioId: string;
    faceId: string;
    blacklistId: string;
    customersId: string;
    refreshToken: string;
  };

  const gql = async (token: string | null, query: string, variables?: Record<string, unknown>): Promise<Body> =>
    (await postGraphQL(node.url, { query, variables }, token ? { authorization: `Bearer ${token}` } : {})).body;
  const asA = (query: string, variables?: Record<string, unknown>) => gql(a.tenant.token.secret, query, variables);
  const asB = (caller: Caller, query: string, variables?: Record<string, unknown>) => gql(b.tokens[caller], query, variables);

  /** The answer is exactly one error with this code (and reason): no data of A came with it. */
  function refused(body: Body, code: string, reason?: string): void {
    expect(body.errors, JSON.stringify(body)).toHaveLength(1);
    expect(body.errors![0]!.extensions.code).toBe(code);
    if (reason) expect(body.errors![0]!.extensions.reason).toBe(reason);
    expect(body.data ?? null).toBeNull();
  }

  /** An applicant token reaches only its own session: everything else is FORBIDDEN, or NOT_FOUND where it may ask. */
  const forApplicant = (caller: Caller, otherwise: () => void, body: Body) => (caller === 'applicant' ? refused(body, 'FORBIDDEN') : otherwise());

  async function login(tenant: Awaited<ReturnType<typeof seedTenant>>) {
    const body = await gql(null, 'mutation($t: String!, $e: String!, $p: String!) { login(tenant: $t, email: $e, password: $p) { accessToken refreshToken operator { id } } }', {
      t: tenant.tenant.slug,
      e: tenant.owner.email,
      p: tenant.ownerPassword,
    });
    return body.data.login as { accessToken: string; refreshToken: string; operator: { id: string } };
  }

  /** Sets up a tenant with a selfie scenario on its own lists, and a session whose selfie was evaluated. */
  async function verifiedSession(token: string, selfie: Buffer) {
    const call = (query: string) => gql(token, query);
    const lists = (await call('{ faceLists { id kind } }')).data.faceLists as { id: string; kind: string }[];
    const blacklistId = lists.find((l) => l.kind === 'BLACKLIST')!.id;
    const customersId = lists.find((l) => l.kind === 'CUSTOMERS')!.id;
    const scenario = (await call(`mutation { createScenario(input: { name: "isolated", steps: [{ kind: SELFIE }],
      settings: { blacklistFaceListId: "${blacklistId}", customerFaceListId: "${customersId}", checks: [${NO_LIVENESS}] } }) { id schemaId } }`)).data.createScenario;
    const created = (await call(`mutation { createSession(input: { scenarioId: "${scenario.id}" }) { applicantToken session { id } } }`)).data.createSession;
    const uploaded = await postMultipart(node.url, { query: UPLOAD, variables: { sessionId: created.session.id } }, selfie, { authorization: `Bearer ${created.applicantToken}` });
    expect(uploaded.body.data.uploadCapture.session.status).toBe('SUCCESS');
    // Largest first: the selfie's face.
    const [face] = (await call(`{ session(id: "${created.session.id}") { faces { id } } }`)).data.session.faces as { id: string }[];
    return { scenario, session: created.session.id as string, applicantToken: created.applicantToken as string, faceId: face!.id, blacklistId, customersId };
  }

  /** What A's partner sees of A's objects; compared before and after B's calls. */
  async function snapshotOfA() {
    const body = await asA(`{
      scenario(id: "${a.scenarioId}") { name version archived settings { blacklistFaceListId customerFaceListId } }
      session(id: "${a.sessionId}") { status reviewAnswer rejectLabels attempts finishedAt decision { decidedBy note } steps { status attempts captures { id } } faces { id } }
      sessions(first: 100) { totalCount edges { node { id status } } }
      faceLists { id kind size }
      kycLinks(batchId: "${a.batchId}") { edges { node { id status sessionId } } }
      apiTokens { id revokedAt }
      scenarios(includeArchived: true) { id version }
    }`);
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  /**
   * Opens a subscription for B on one socket together with B's own unfiltered live log. Once B's own next session
   * arrives on the log, anything of A's the first stream had been given would have arrived before it (one socket, one
   * bus, in order), so "nothing yet" at that moment means nothing at all.
   */
  async function subscriptionGetsNothing(caller: Exclude<Caller, 'applicant'>, query: string, causeEventsOfA: () => Promise<void>): Promise<void> {
    const client = createClient({ url: node.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${b.tokens[caller]}` } });
    clients.push(client);
    const suspect = client.iterate({ query });
    const pendingSuspect = suspect.next();
    const log = client.iterate<{ sessionEvents: { sessionId: string } }>({ query: 'subscription { sessionEvents { sessionId } }' });
    const createSessionOfB = async (): Promise<string> =>
      (await asB('partner', `mutation { createSession(input: { scenarioId: "${b.scenarioId}" }) { session { id } } }`)).data.createSession.session.id;
    await untilLive(log, createSessionOfB, (r) => r.data?.sessionEvents.sessionId);
    await causeEventsOfA();
    const marker = await createSessionOfB();
    expect((await log.next()).value?.data?.sessionEvents.sessionId).toBe(marker);
    const nothing = Symbol('nothing');
    expect(await Promise.race([pendingSuspect, new Promise((r) => setImmediate(() => r(nothing)))])).toBe(nothing);
    await log.return!();
    await suspect.return!();
  }

  /** The sessions of A that the cases create on purpose, left out when A's objects are compared at the end. */
  const createdOfA: string[] = [];

  /** Creates a session of A (SESSION_CREATED on A's scenario and on the new session). */
  const aSessionCreated = async () => {
    const body = await asA(`mutation { createSession(input: { scenarioId: "${a.scenarioId}" }) { session { id } } }`);
    expect(body.errors).toBeUndefined();
    createdOfA.push(body.data.createSession.session.id);
  };

  /** One case per root field: every one of B's callers, against A's objects. */
  const cases: Record<string, (caller: Caller) => Promise<void>> = {
    // ---- queries
    'Query.health': async (caller) => {
      expect(await asB(caller, '{ health { status database version } }')).toEqual(await gql(null, '{ health { status database version } }'));
    },
    'Query.viewer': async (caller) => {
      const viewer = (await asB(caller, '{ viewer { kind id } }')).data.viewer;
      const own = { partner: { kind: 'TOKEN', id: b.tenant.token.id }, operator: { kind: 'USER', id: b.ownerId }, applicant: { kind: 'APPLICANT', id: b.sessionId } };
      expect(viewer).toEqual(own[caller]);
    },
    'Query.tenant': async (caller) => {
      const body = await asB(caller, '{ tenant { id slug } }');
      forApplicant(caller, () => expect(body.data.tenant).toEqual({ id: b.tenant.tenant.id, slug: b.tenant.tenant.slug }), body);
    },
    'Query.scenarios': async (caller) => {
      const body = await asB(caller, '{ scenarios(includeArchived: true) { id } }');
      forApplicant(caller, () => expect(body.data.scenarios.map((s: { id: string }) => s.id)).not.toContain(a.scenarioId), body);
    },
    'Query.scenario': async (caller) => {
      const body = await asB(caller, `{ scenario(id: "${a.scenarioId}") { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND'), body);
    },
    'Query.session': async (caller) => {
      refused(await asB(caller, `{ session(id: "${a.sessionId}") { id } }`), 'NOT_FOUND');
    },
    'Query.sessions': async (caller) => {
      const filtered = await asB(caller, `{ sessions(filter: { scenarioId: "${a.scenarioId}" }) { totalCount edges { node { id } } } }`);
      forApplicant(caller, () => expect(filtered.data.sessions).toEqual({ totalCount: 0, edges: [] }), filtered);
      const all = await asB(caller, '{ sessions(first: 100) { edges { node { id } } } }');
      forApplicant(caller, () => expect(all.data.sessions.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(a.sessionId), all);
    },
    'Query.face': async (caller) => {
      const body = await asB(caller, `{ face(id: "${a.faceId}") { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND'), body);
    },
    'Query.sessionsWithSameFace': async (caller) => {
      const foreign = await asB(caller, `{ sessionsWithSameFace(faceId: "${a.faceId}") { sessionId } }`);
      forApplicant(caller, () => refused(foreign, 'NOT_FOUND'), foreign);
      // B's own face is the same person as A's: the search stays inside B.
      const own = await asB(caller, `{ sessionsWithSameFace(faceId: "${b.faceId}") { sessionId faceId } }`);
      forApplicant(caller, () => expect(own.data.sessionsWithSameFace).toEqual([]), own);
    },
    'Query.faceLists': async (caller) => {
      const body = await asB(caller, '{ faceLists { id } }');
      forApplicant(caller, () => expect(body.data.faceLists.map((l: { id: string }) => l.id).sort()).toEqual([b.blacklistId, b.customersId].sort()), body);
    },
    'Query.kycLinks': async (caller) => {
      const batch = await asB(caller, `{ kycLinks(batchId: "${a.batchId}") { totalCount edges { node { id } } } }`);
      forApplicant(caller, () => expect(batch.data.kycLinks).toEqual({ totalCount: 0, edges: [] }), batch);
      const all = await asB(caller, '{ kycLinks(first: 100) { edges { node { id } } } }');
      forApplicant(caller, () => expect(all.data.kycLinks.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(a.linkId), all);
    },
    'Query.auditLog': async (caller) => {
      for (const objectId of [a.sessionId, a.faceId, a.tenant.token.id]) {
        const body = await asB(caller, `{ auditLog(objectId: "${objectId}") { totalCount edges { node { id } } } }`);
        forApplicant(caller, () => expect(body.data.auditLog).toEqual({ totalCount: 0, edges: [] }), body);
      }
    },
    'Query.apiTokens': async (caller) => {
      const body = await asB(caller, '{ apiTokens { id } }');
      forApplicant(caller, () => expect(body.data.apiTokens.map((t: { id: string }) => t.id)).not.toContain(a.tenant.token.id), body);
    },

    // ---- mutations
    'Mutation.login': async (caller) => {
      // B's owner credentials against A's slug, and A's owner's email under B's slug (the seeded owners share one
      // password): users are found inside the tenant named, so both get the same refusal as a wrong password.
      const login = 'mutation($t: String!, $e: String!, $p: String!) { login(tenant: $t, email: $e, password: $p) { accessToken } }';
      refused(await asB(caller, login, { t: a.tenant.tenant.slug, e: b.tenant.owner.email, p: b.tenant.ownerPassword }), 'UNAUTHENTICATED');
      refused(await asB(caller, login, { t: b.tenant.tenant.slug, e: a.tenant.owner.email, p: a.tenant.ownerPassword }), 'UNAUTHENTICATED');
    },
    // A refresh token is itself a credential (whoever holds A's is A's operator, with or without a header of B), so
    // what B must not manage is to reach A with what it holds: its own refresh token, or one forged from A's public
    // prefix (`idr_` + 12 characters + `_`) and B's secret. A's token is still unspent at the end.
    'Mutation.refreshSession': async (caller) => {
      const own = (await login(b.tenant)).refreshToken;
      refused(await asB(caller, `mutation { refreshSession(refreshToken: "${a.refreshToken.slice(0, 17) + own.slice(17)}") { accessToken } }`), 'UNAUTHENTICATED');
      const refreshed = await asB(caller, `mutation { refreshSession(refreshToken: "${own}") { accessToken operator { id } } }`);
      expect(refreshed.data.refreshSession.operator.id).toBe(b.ownerId);
      const token = refreshed.data.refreshSession.accessToken as string;
      expect((await gql(token, '{ tenant { id } }')).data.tenant.id).toBe(b.tenant.tenant.id);
      refused(await gql(token, `{ session(id: "${a.sessionId}") { id } }`), 'NOT_FOUND');
    },
    'Mutation.logout': async (caller) => {
      const own = (await login(b.tenant)).refreshToken;
      refused(await asB(caller, `mutation { logout(refreshToken: "${a.refreshToken.slice(0, 17) + own.slice(17)}") }`), 'UNAUTHENTICATED');
      // Signing B out touches B's sign-in only (A's is refreshed at the end).
      expect((await asB(caller, `mutation { logout(refreshToken: "${own}") }`)).data.logout).toBe(true);
    },
    'Mutation.createScenario': async (caller) => {
      const create = (settings: string) => asB(caller, `mutation { createScenario(input: { name: "x", steps: [{ kind: SELFIE }], settings: { ${settings} } }) { id } }`);
      const blacklist = await create(`blacklistFaceListId: "${a.blacklistId}"`);
      forApplicant(caller, () => refused(blacklist, 'NOT_FOUND', 'FACE_LIST_NOT_FOUND'), blacklist);
      const customers = await create(`customerFaceListId: "${a.customersId}"`);
      forApplicant(caller, () => refused(customers, 'NOT_FOUND', 'FACE_LIST_NOT_FOUND'), customers);
      // B's own lists, swapped: a customer list is no blacklist.
      const swapped = await create(`blacklistFaceListId: "${b.customersId}"`);
      forApplicant(caller, () => refused(swapped, 'BAD_USER_INPUT', 'FACE_LIST_WRONG_KIND'), swapped);
    },
    'Mutation.updateScenario': async (caller) => {
      const foreign = await asB(caller, `mutation { updateScenario(id: "${a.scenarioId}", input: { name: "taken", steps: [{ kind: SELFIE }] }) { id } }`);
      forApplicant(caller, () => refused(foreign, 'NOT_FOUND'), foreign);
      const own = await asB(caller, `mutation { updateScenario(id: "${b.scenarioId}", input: { name: "x", steps: [{ kind: SELFIE }], settings: { blacklistFaceListId: "${a.blacklistId}" } }) { id } }`);
      forApplicant(caller, () => refused(own, 'NOT_FOUND', 'FACE_LIST_NOT_FOUND'), own);
    },
    'Mutation.archiveScenario': async (caller) => {
      const body = await asB(caller, `mutation { archiveScenario(id: "${a.scenarioId}") { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND'), body);
    },
    'Mutation.createSession': async (caller) => {
      for (const scenarioId of [a.scenarioId, a.schemaId]) {
        const body = await asB(caller, `mutation { createSession(input: { scenarioId: "${scenarioId}" }) { applicantToken } }`);
        forApplicant(caller, () => refused(body, 'NOT_FOUND'), body);
      }
    },
    'Mutation.uploadCapture': async (caller) => {
      const selfie = await cropSelfie(await readDemoPhoto(PORTRAIT_SOURCES[1]!.file), PORTRAIT_SOURCES[1]!.box);
      const { body } = await postMultipart(node.url, { query: UPLOAD, variables: { sessionId: a.sessionId } }, selfie, { authorization: `Bearer ${b.tokens[caller]}` });
      refused(body, 'NOT_FOUND');
    },
    'Mutation.submitSession': async (caller) => {
      refused(await asB(caller, `mutation { submitSession(sessionId: "${a.sessionId}") { id } }`), 'NOT_FOUND');
    },
    'Mutation.reviewSession': async (caller) => {
      const body = await asB(caller, `mutation { reviewSession(id: "${a.sessionId}", decision: REJECT, note: "not yours") { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND'), body);
    },
    'Mutation.addFaceToList': async (caller) => {
      const ownListForeignFace = await asB(caller, `mutation { addFaceToList(listId: "${b.blacklistId}", faceId: "${a.faceId}") { id } }`);
      forApplicant(caller, () => refused(ownListForeignFace, 'NOT_FOUND', 'FACE_NOT_FOUND'), ownListForeignFace);
      const foreignListOwnFace = await asB(caller, `mutation { addFaceToList(listId: "${a.blacklistId}", faceId: "${b.faceId}") { id } }`);
      forApplicant(caller, () => refused(foreignListOwnFace, 'NOT_FOUND', 'FACE_LIST_NOT_FOUND'), foreignListOwnFace);
    },
    'Mutation.removeFaceFromList': async (caller) => {
      const body = await asB(caller, `mutation { removeFaceFromList(listId: "${a.blacklistId}", faceId: "${a.faceId}") }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND'), body);
    },
    'Mutation.createKycLinks': async (caller) => {
      for (const scenarioId of [a.scenarioId, a.schemaId]) {
        const body = await asB(caller, `mutation { createKycLinks(scenarioId: "${scenarioId}", count: 1) { batchId } }`);
        forApplicant(caller, () => refused(body, 'NOT_FOUND'), body);
      }
    },
    'Mutation.openKycLink': async (caller) => {
      // What B may know of A's link (its id, from nowhere) or hold itself (its own tokens) opens nothing.
      for (const token of [a.linkId, b.tokens[caller]]) refused(await asB(caller, `mutation { openKycLink(token: "${token}") { applicantToken } }`), 'NOT_FOUND');
    },
    'Mutation.createApiToken': async (caller) => {
      const body = await asB(caller, 'mutation { createApiToken(name: "b-made", scopes: ["sessions:read", "scenarios:read"]) { secret token { id } } }');
      forApplicant(caller, () => {
        expect(body.errors).toBeUndefined();
        expect(body.data.createApiToken.token.id).not.toBe(a.tenant.token.id);
      }, body);
      if (caller === 'applicant') return;
      // The new token is B's: it reads B and nothing of A.
      const secret = body.data.createApiToken.secret as string;
      expect((await gql(secret, '{ tenant { id } }')).data.tenant.id).toBe(b.tenant.tenant.id);
      refused(await gql(secret, `{ session(id: "${a.sessionId}") { id } }`), 'NOT_FOUND');
      refused(await gql(secret, `{ scenario(id: "${a.scenarioId}") { id } }`), 'NOT_FOUND');
    },
    'Mutation.revokeApiToken': async (caller) => {
      const body = await asB(caller, `mutation { revokeApiToken(id: "${a.tenant.token.id}") { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND'), body);
    },
    // Operator management (users:manage): B's managers reach B's operators only; A's owner is not found in B.
    'Query.operators': async (caller) => {
      const body = await asB(caller, '{ operators(first: 100) { edges { node { id } } } }');
      forApplicant(caller, () => expect(body.data.operators.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(a.tenant.owner.id), body);
    },
    'Mutation.inviteOperator': async (caller) => {
      // A's owner's email invited in B makes an operator of B (or is taken in B already): nothing of A's.
      const body = await asB(caller, `mutation { inviteOperator(input: { email: "${a.tenant.owner.email}", role: ANALYST }) { operator { id } } }`);
      forApplicant(caller, () => (body.errors ? refused(body, 'CONFLICT', 'EMAIL_TAKEN') : expect(body.data.inviteOperator.operator.id).not.toBe(a.tenant.owner.id)), body);
    },
    'Mutation.changeOperatorRole': async (caller) => {
      const body = await asB(caller, `mutation { changeOperatorRole(id: "${a.tenant.owner.id}", role: ANALYST) { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'USER_NOT_FOUND'), body);
    },
    'Mutation.disableOperator': async (caller) => {
      const body = await asB(caller, `mutation { disableOperator(id: "${a.tenant.owner.id}") { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'USER_NOT_FOUND'), body);
    },
    'Mutation.enableOperator': async (caller) => {
      const body = await asB(caller, `mutation { enableOperator(id: "${a.tenant.owner.id}") { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'USER_NOT_FOUND'), body);
    },
    'Mutation.resetOperatorPassword': async (caller) => {
      const body = await asB(caller, `mutation { resetOperatorPassword(id: "${a.tenant.owner.id}") { link { token } } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'USER_NOT_FOUND'), body);
    },
    // A password link is itself the credential (public field): B cannot forge A's from A's public prefix and a
    // secret of its own; A's link is still unused at the end.
    'Mutation.setPassword': async (caller) => {
      const own = (await asB('operator', `mutation { inviteOperator(input: { email: "iso-${caller}@b.test", role: ANALYST }) { link { token } } }`)).data.inviteOperator.link.token as string;
      refused(await asB(caller, 'mutation($t: String!) { setPassword(token: $t, password: "correct horse battery staple") { id } }', { t: a.passwordLinkToken.slice(0, 17) + own.slice(17) }), 'BAD_USER_INPUT', 'PASSWORD_LINK_INVALID');
    },
    'Mutation.deleteSession': async (caller) => {
      const body = await asB(caller, `mutation { deleteSession(id: "${a.sessionId}") { sessionId } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'SESSION_NOT_FOUND'), body);
    },

    // ---- subscriptions
    'Subscription.sessionEvents': async (caller) => {
      const query = `subscription { sessionEvents(filter: { scenarioId: "${a.scenarioId}" }) { sessionId scenarioId } }`;
      if (caller === 'applicant') {
        const client = createClient({ url: node.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${b.tokens.applicant}` } });
        clients.push(client);
        const first = await client.iterate({ query }).next();
        expect(first.value?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        return;
      }
      await subscriptionGetsNothing(caller, query, aSessionCreated);
    },
    'Subscription.sessionUpdated': async (caller) => {
      const client = createClient({ url: node.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${b.tokens[caller]}` } });
      clients.push(client);
      const first = await client.iterate({ query: `subscription { sessionUpdated(id: "${a.sessionId}") { kind } }` }).next();
      expect(first.value?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(first.value?.data ?? null).toBeNull();
    },
    'Query.report': async (caller) => {
      for (const filter of [`{ scenarioIds: ["${a.scenarioId}"] }`, `{ kycLinkBatchId: "${a.batchId}" }`]) {
        const body = await asB(caller, `{ report(filter: ${filter}) { totalCount edges { node { id } } } }`);
        forApplicant(caller, () => expect(body.data.report).toEqual({ totalCount: 0, edges: [] }), body);
      }
      const all = await asB(caller, '{ report(first: 100) { edges { node { id } } } }');
      forApplicant(caller, () => expect(all.data.report.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(a.sessionId), all);
    },
    'Query.reportAggregates': async (caller) => {
      const body = await asB(caller, `{ reportAggregates(filter: { scenarioIds: ["${a.scenarioId}"] }) { total byStatus { key } byScenario { key } } }`);
      forApplicant(caller, () => expect(body.data.reportAggregates).toMatchObject({ total: 0, byStatus: [], byScenario: [] }), body);
    },
    // --- webhooks (issue 20) ---
    'Query.webhookEndpoints': async (caller) => {
      const body = await asB(caller, '{ webhookEndpoints { id url } }');
      forApplicant(caller, () => expect(body.data.webhookEndpoints.map((e: { id: string }) => e.id)).not.toContain(hooksOfA.endpointId), body);
    },
    'Query.webhookDeliveries': async (caller) => {
      const mine = await asB(caller, `{ webhookDeliveries(filter: { endpointId: "${hooksOfA.endpointId}" }) { totalCount edges { node { id } } } }`);
      forApplicant(caller, () => expect(mine.data.webhookDeliveries).toEqual({ totalCount: 0, edges: [] }), mine);
      const all = await asB(caller, '{ webhookDeliveries(first: 100) { edges { node { id payload } } } }');
      forApplicant(caller, () => expect(JSON.stringify(all.data.webhookDeliveries)).not.toContain(hooksOfA.deliveryId), all);
    },
    'Mutation.createWebhookEndpoint': async (caller) => {
      const body = await asB(caller, `mutation { createWebhookEndpoint(input: { url: "https://93.184.215.14/b", eventTypes: ["session.decided"], scenarioId: "${a.scenarioId}" }) { secret } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'SCENARIO_NOT_FOUND'), body);
    },
    'Mutation.updateWebhookEndpoint': async (caller) => {
      const body = await asB(caller, `mutation { updateWebhookEndpoint(id: "${hooksOfA.endpointId}", input: { url: "https://93.184.215.14/b" }) { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND'), body);
    },
    'Mutation.disableWebhookEndpoint': async (caller) => {
      const body = await asB(caller, `mutation { disableWebhookEndpoint(id: "${hooksOfA.endpointId}") { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND'), body);
    },
    'Mutation.deleteWebhookEndpoint': async (caller) => {
      const body = await asB(caller, `mutation { deleteWebhookEndpoint(id: "${hooksOfA.endpointId}") }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND'), body);
    },
    'Mutation.rotateWebhookSecret': async (caller) => {
      const body = await asB(caller, `mutation { rotateWebhookSecret(id: "${hooksOfA.endpointId}") { secret } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND'), body);
    },
    'Mutation.sendTestWebhook': async (caller) => {
      const body = await asB(caller, `mutation { sendTestWebhook(id: "${hooksOfA.endpointId}") { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND'), body);
    },
    'Mutation.redeliverWebhook': async (caller) => {
      const body = await asB(caller, `mutation { redeliverWebhook(deliveryId: "${hooksOfA.deliveryId}") { id } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND'), body);
    },
    'Mutation.sessionSummaryPdf': async (caller) => {
      const body = await asB(caller, `mutation { sessionSummaryPdf(sessionId: "${a.sessionId}") { url } }`);
      forApplicant(caller, () => refused(body, 'NOT_FOUND'), body);
    },
  };

  /** A's webhook endpoint and a delivery of it (no worker runs in this suite: nothing is sent). */
  const hooksOfA = {} as { endpointId: string; deliveryId: string };

  let before: unknown;

  beforeAll(async () => {
    // On PostgreSQL the live events go through Redis when TEST_REDIS_URL is set: both buses keep tenants apart.
    const bus: Record<string, string> = driver === 'postgresql' && testServices.redisUrl ? { REDIS_URL: testServices.redisUrl } : {};
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false', IDGRAPH_INFERENCE_WORKERS: '1', ...bus, IDGRAPH_WEBHOOKS_WORKER: 'false' });
    schema = await buildGraphQLSchema();
    a.tenant = await seedTenant(node.services.db, 'iso-a');
    b.tenant = await seedTenant(node.services.db, 'iso-b');
    // The same person in both tenants: B's face search must still find nothing of A.
    const source = PORTRAIT_SOURCES[0]!;
    const selfie = await cropSelfie(await readDemoPhoto(source.file), source.box);

    const inA = await verifiedSession(a.tenant.token.secret, selfie);
    Object.assign(a, { scenarioId: inA.scenario.id, schemaId: inA.scenario.schemaId, sessionId: inA.session, applicantToken: inA.applicantToken, faceId: inA.faceId, blacklistId: inA.blacklistId, customersId: inA.customersId });
    expect((await asA(`mutation { addFaceToList(listId: "${a.blacklistId}", faceId: "${a.faceId}", reason: "A's own") { id } }`)).errors).toBeUndefined();
    const batch = (await asA(`mutation { createKycLinks(scenarioId: "${a.scenarioId}", count: 2) { batchId links { token link { id } } } }`)).data.createKycLinks;
    Object.assign(a, { batchId: batch.batchId, linkId: batch.links[0].link.id, linkToken: batch.links[0].token });
    a.refreshToken = (await login(a.tenant)).refreshToken;
    const hook = (await asA('mutation { createWebhookEndpoint(input: { url: "https://93.184.215.14/a", eventTypes: ["session.reviewed"] }) { endpoint { id } } }')).data.createWebhookEndpoint;
    hooksOfA.endpointId = hook.endpoint.id;
    hooksOfA.deliveryId = (await asA(`mutation { sendTestWebhook(id: "${hook.endpoint.id}") { id } }`)).data.sendTestWebhook.id;
    a.passwordLinkToken = (await asA('mutation { inviteOperator(input: { email: "invitee@a.test", role: ANALYST }) { link { token } } }')).data.inviteOperator.link.token;

    const inB = await verifiedSession(b.tenant.token.secret, selfie);
    const ownerB = await login(b.tenant);
    Object.assign(b, { scenarioId: inB.scenario.id, sessionId: inB.session, faceId: inB.faceId, blacklistId: inB.blacklistId, customersId: inB.customersId, ownerId: ownerB.operator.id, refreshToken: ownerB.refreshToken });
    b.tokens = { partner: b.tenant.token.secret, operator: ownerB.accessToken, applicant: inB.applicantToken };
    before = await snapshotOfA();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await node?.dispose();
  });

  it('has an isolation case for every query, mutation and subscription of the schema', () => {
    expect(Object.keys(cases).sort()).toEqual(rootFields(schema).sort());
  });

  describe.each(CALLERS)("with B's %s credentials", (caller) => {
    it.each(Object.keys(cases))('%s reaches nothing of A', async (field) => {
      await cases[field]!(caller);
    });
  });

  it("never replays A's answer to B for A's Idempotency-Key", async () => {
    const key = { 'idempotency-key': `iso-${a.scenarioId}` };
    const create = (token: string, scenarioId: string) =>
      postGraphQL(node.url, { query: `mutation { createSession(input: { scenarioId: "${scenarioId}" }) { applicantToken session { id } } }` }, { authorization: `Bearer ${token}`, ...key });
    const first = await create(a.tenant.token.secret, a.scenarioId);
    expect(first.body.errors).toBeUndefined();
    createdOfA.push(first.body.data.createSession.session.id);
    // The very request A sent, under A's key: B is answered as B (A's scenario is not B's), never with A's session.
    for (const caller of ['partner', 'operator'] as const) {
      const replayed = await create(b.tokens[caller], a.scenarioId);
      expect(JSON.stringify(replayed.body)).not.toContain(first.body.data.createSession.session.id);
      refused(replayed.body, 'NOT_FOUND');
    }
    const own = await create(b.tenant.token.secret, b.scenarioId);
    expect(own.body.data.createSession.session.id).not.toBe(first.body.data.createSession.session.id);
  });

  it("leaves A's objects as they were, and A's credentials working", async () => {
    const after = (await snapshotOfA()) as { sessions: { totalCount: number; edges: { node: { id: string } }[] } };
    // The subscription cases created sessions of A on purpose (the events B must not see), and A used its own
    // Idempotency-Key once: those aside, nothing moved.
    const created = new Set(createdOfA);
    const unchanged = after.sessions.edges.filter((e) => !created.has(e.node.id));
    expect(after.sessions.edges.length - unchanged.length).toBe(created.size);
    expect({ ...after, sessions: { totalCount: after.sessions.totalCount - created.size, edges: unchanged } }).toEqual(before);
    expect((await gql(a.applicantToken, `{ session(id: "${a.sessionId}") { id } }`)).data.session.id).toBe(a.sessionId);
    const refreshed = await gql(null, `mutation { refreshSession(refreshToken: "${a.refreshToken}") { accessToken } }`);
    expect(refreshed.errors).toBeUndefined();
    expect((await gql(refreshed.data.refreshSession.accessToken, '{ tenant { id } }')).data.tenant.id).toBe(a.tenant.tenant.id);
    const opened = await gql(null, `mutation { openKycLink(token: "${a.linkToken}") { session { id } } }`);
    expect(opened.errors).toBeUndefined();
    const accepted = await gql(null, `mutation { setPassword(token: "${a.passwordLinkToken}", password: "correct horse battery staple") { status } }`);
    expect(accepted.data.setPassword.status).toBe('ACTIVE');
  });
});
