import { createClient, type Client } from 'graphql-ws';
import sharp from 'sharp';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cropSelfie, readDemoPhoto } from '../../bench/faces-fixtures.js';
import { Topic } from '../../domain/events/event.types.js';
import { UserRole } from '../../domain/users/user.entity.js';
import { UserService } from '../../domain/users/user.service.js';
import { PORTRAIT_SOURCES, photographDocument, renderDocument } from '../../inference/documents/testing/document-generator.js';
import { ICAO_TD3_SPECIMEN } from '../../inference/documents/testing/mrz-builder.js';
import { untilLive } from '../support/live-subscription.js';
import { postMultipart } from '../support/multipart.js';
import { seedTenant } from '../support/seed.js';
import { testServices } from '../support/services-env.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

/**
 * The "Done when", over real HTTP and WebSocket: a partner sets up a scenario and a session, an operator signs
 * in and watches the live log, the applicant uploads a passport photo and a selfie through multipart, and the
 * decision comes out right, for the holder and for somebody else. On PostgreSQL the events go through Redis when
 * TEST_REDIS_URL is set, so both event buses carry the flow.
 */

type LiveEvent = { kind: string; sessionId: string; status: string; step: number | null; warnings: { code: string; severity: string }[] };
type Stream = AsyncIterableIterator<{ data?: Record<string, LiveEvent> | null; errors?: unknown }>;

const EVENT_FIELDS = 'kind sessionId status step warnings { code severity }';
const UPLOAD = `mutation($sessionId: ID!, $step: Int!, $file: Upload!) {
  uploadCapture(sessionId: $sessionId, step: $step, file: $file) {
    step { position status warnings { code } }
    session { status reviewAnswer rejectType rejectLabels warnings { code severity message params } }
  }
}`;
const OPERATOR_PASSWORD = 'an operator password of some length';

describe.each(testDrivers('end to end'))('end to end over HTTP and WebSocket on %s', (driver) => {
  let node: TestNode;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  let passport: Buffer;
  let holder: Buffer;
  let stranger: Buffer;
  let scenarioId: string;
  let operatorToken: string;
  const clients: Client[] = [];

  const partner = (query: string) => postGraphQL(node.url, { query }, { authorization: `Bearer ${tenant.token.secret}` });

  /** The applicant's upload of one step, through multipart. */
  async function uploadAs(applicantToken: string, sessionId: string, step: number, file: Buffer) {
    const { body } = await postMultipart(node.url, { query: UPLOAD, variables: { sessionId, step } }, file, { authorization: `Bearer ${applicantToken}` });
    expect(body.errors).toBeUndefined();
    return body.data.uploadCapture;
  }

  async function createSession(externalUserId: string): Promise<{ id: string; applicantToken: string }> {
    const res = await partner(`mutation { createSession(input: { scenarioId: "${scenarioId}", externalUserId: "${externalUserId}" }) { applicantToken session { id } } }`);
    expect(res.body.errors).toBeUndefined();
    return { id: res.body.data.createSession.session.id, applicantToken: res.body.data.createSession.applicantToken };
  }

  function subscribe(token: string, query: string): Stream {
    const client = createClient({ url: node.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
    clients.push(client);
    return client.iterate<Record<string, LiveEvent>>({ query }) as Stream;
  }

  /** The next event of a stream; a failed subscription fails the test with its errors. */
  async function next(stream: Stream, field: string): Promise<LiveEvent> {
    const { value, done } = await stream.next();
    if (done || !value.data) throw new Error(`the stream ended: ${JSON.stringify(value)}`);
    return value.data[field]!;
  }

  /** The operator's live log of the scenario, returned once it is live (probed with sessions of the scenario). */
  async function operatorLog(): Promise<Stream> {
    const stream = subscribe(operatorToken, `subscription { sessionEvents(filter: { scenarioId: "${scenarioId}" }) { ${EVENT_FIELDS} } }`);
    await untilLive(stream, async () => (await createSession('probe')).id, (r) => r.data?.sessionEvents?.sessionId);
    return stream;
  }

  /**
   * The applicant's own stream, returned once it is live. Probed through the bus with events of the session under a
   * scenario id nobody filters on, so the operator's log (filtered by the real scenario) never sees the probes; each
   * probe is told apart by its time.
   */
  async function applicantStream(session: { id: string; applicantToken: string }): Promise<Stream> {
    const stream = subscribe(session.applicantToken, `subscription { sessionUpdated(id: "${session.id}") { ${EVENT_FIELDS} at } }`);
    const probe = { topic: Topic.SESSION_STATUS_CHANGED, tenantId: tenant.tenant.id, sessionId: session.id, scenarioId: tenant.tenant.id, status: 'IN_PROGRESS' } as const;
    let sent = 0;
    const publishProbe = async () => {
      const at = new Date(Date.now() + sent++).toISOString();
      await node.services.events.publish({ ...probe, at });
      return at;
    };
    await untilLive(stream, publishProbe, (r) => (r.data?.sessionUpdated as (LiveEvent & { at: string }) | undefined)?.at);
    return stream;
  }

  /** The next `count` events of a stream. */
  async function lines(stream: Stream, field: string, count: number): Promise<LiveEvent[]> {
    const events: LiveEvent[] = [];
    while (events.length < count) events.push(await next(stream, field));
    return events;
  }
  const shape = (events: LiveEvent[]) => events.map((e) => `${e.kind}:${e.step ?? ''}:${e.status}`);

  beforeAll(async () => {
    const bus: Record<string, string> = driver === 'postgresql' && testServices.redisUrl ? { REDIS_URL: testServices.redisUrl } : {};
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false', IDGRAPH_INFERENCE_WORKERS: '1', ...bus });
    tenant = await seedTenant(node.services.db, 'e2e');
    await new UserService().create(node.services.db.forTenant(tenant.tenant.id), {
      tenantId: tenant.tenant.id,
      email: 'operator@e2e.test',
      password: OPERATOR_PASSWORD,
      role: UserRole.OPERATOR,
    });
    // The ICAO 9303 specimen holder on a passport valid until 2034, portrait 0 cut from a face-api demo photo.
    const identity = { ...ICAO_TD3_SPECIMEN, expiryDate: '340415' };
    passport = (await photographDocument(await renderDocument({ format: 'TD3', identity, portrait: 0 }), { seed: 3 })).image;
    const [own, other] = [PORTRAIT_SOURCES[0]!, PORTRAIT_SOURCES[1]!];
    // The holder mirrored, as front cameras show a face: a new capture rather than the portrait's own pixels, which
    // the engine would call FACE_IDENTICAL (the selfie is the document photo itself).
    holder = await sharp(await cropSelfie(await readDemoPhoto(own.file), own.box)).flop().jpeg({ quality: 92 }).toBuffer();
    stranger = await cropSelfie(await readDemoPhoto(other.file), other.box);

    // The partner configures the scenario through GraphQL. The demo photos are photos of photos to the anti-spoofing
    // model, so the liveness checks are off: this test is about the flow and the face match.
    const created = await partner(`mutation { createScenario(input: {
      name: "Passport and selfie",
      steps: [{ kind: DOCUMENT, documentTypes: ["PASSPORT"] }, { kind: SELFIE }],
      settings: { checks: [{ code: "RECAPTURED_FACE", enabled: false, effect: IGNORE }, { code: "FACE_LIVENESS_ERR", enabled: false, effect: IGNORE }] }
    }) { id steps { position kind } } }`);
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createScenario.steps).toEqual([{ position: 0, kind: 'DOCUMENT' }, { position: 1, kind: 'SELFIE' }]);
    scenarioId = created.body.data.createScenario.id;

    const login = await postGraphQL(node.url, {
      query: 'mutation($tenant: String!, $email: String!, $password: String!) { login(tenant: $tenant, email: $email, password: $password) { accessToken operator { role } } }',
      variables: { tenant: tenant.tenant.slug, email: 'operator@e2e.test', password: OPERATOR_PASSWORD },
    });
    expect(login.body.data.login.operator.role).toBe('OPERATOR');
    operatorToken = login.body.data.login.accessToken;
    expect(operatorToken.startsWith('uat_')).toBe(true);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await node?.dispose();
  });

  it('verifies the passport holder: the operator sees every event in order and the decision is SUCCESS, GREEN', async () => {
    const log = await operatorLog();
    const session = await createSession('holder');
    expect(session.applicantToken.startsWith('ida_')).toBe(true);
    expect(shape(await lines(log, 'sessionEvents', 1))).toEqual(['SESSION_CREATED::IN_PROGRESS']);
    const own = await applicantStream(session);

    const document = await uploadAs(session.applicantToken, session.id, 0, passport);
    expect(document.step, JSON.stringify(document)).toMatchObject({ position: 0, status: 'PASSED' });
    expect(document.session.status).toBe('IN_PROGRESS');
    const selfie = await uploadAs(session.applicantToken, session.id, 1, holder);
    expect(selfie.step).toMatchObject({ position: 1, status: 'PASSED' });
    expect(selfie.session, JSON.stringify(selfie)).toMatchObject({ status: 'SUCCESS', reviewAnswer: 'GREEN', rejectType: null, rejectLabels: [] });
    expect(selfie.session.warnings.map((w: { code: string }) => w.code)).not.toContainEqual(expect.stringMatching(/^FACE_(MISMATCH|IDENTICAL)$/));

    const expected = ['CAPTURE_RECEIVED:0:IN_PROGRESS', 'STEP_EVALUATED:0:IN_PROGRESS', 'CAPTURE_RECEIVED:1:SUCCESS', 'STEP_EVALUATED:1:SUCCESS', 'SESSION_DECIDED::SUCCESS'];
    const operatorSaw = await lines(log, 'sessionEvents', 5);
    expect(shape(operatorSaw)).toEqual(expected);
    expect(operatorSaw.every((e) => e.sessionId === session.id)).toBe(true);
    // Each step event carries the warnings of its step as the upload answered them.
    expect(operatorSaw[1]!.warnings.map((w) => w.code)).toEqual(document.step.warnings.map((w: { code: string }) => w.code));
    expect(operatorSaw[4]!.warnings.map((w) => w.code)).toEqual(selfie.session.warnings.map((w: { code: string }) => w.code));
    // The applicant's own stream (its ida_ token, sessionUpdated) saw the same events of its session, in order.
    const applicantSaw = await lines(own, 'sessionUpdated', 5);
    expect(shape(applicantSaw)).toEqual(expected);
    expect(applicantSaw.every((e) => e.sessionId === session.id)).toBe(true);
    expect(applicantSaw[4]!.warnings).toEqual(operatorSaw[4]!.warnings);

    const read = await postGraphQL(node.url, { query: `{ session(id: "${session.id}") { status reviewAnswer decision { decidedBy } steps { status captures { documentType } } } }` }, { authorization: `Bearer ${operatorToken}` });
    expect(read.body.data.session).toMatchObject({ status: 'SUCCESS', reviewAnswer: 'GREEN', decision: { decidedBy: 'ENGINE' } });
    expect(read.body.data.session.steps[0].captures).toEqual([{ documentType: 'PASSPORT' }]);
    await log.return!();
    await own.return!();
  });

  it('fails somebody else with the passport: FACE_MISMATCH, BAD_FACE_MATCHING, RETRY, streamed in order', async () => {
    const log = await operatorLog();
    const session = await createSession('impostor');
    expect(shape(await lines(log, 'sessionEvents', 1))).toEqual(['SESSION_CREATED::IN_PROGRESS']);

    await uploadAs(session.applicantToken, session.id, 0, passport);
    const selfie = await uploadAs(session.applicantToken, session.id, 1, stranger);
    // The selfie itself is a good one: what fails is the comparison across steps, a warning of the session.
    expect(selfie.step, JSON.stringify(selfie)).toEqual({ position: 1, status: 'PASSED', warnings: [] });
    expect(selfie.session).toMatchObject({ status: 'FAILED', reviewAnswer: 'RED', rejectType: 'RETRY', rejectLabels: ['BAD_FACE_MATCHING'] });
    const mismatch = selfie.session.warnings.find((w: { code: string }) => w.code === 'FACE_MISMATCH');
    expect(mismatch).toMatchObject({ severity: 'HIGH' });
    expect(mismatch.params.value).toBeLessThan(mismatch.params.threshold);

    const operatorSaw = await lines(log, 'sessionEvents', 5);
    expect(shape(operatorSaw)).toEqual(['CAPTURE_RECEIVED:0:IN_PROGRESS', 'STEP_EVALUATED:0:IN_PROGRESS', 'CAPTURE_RECEIVED:1:FAILED', 'STEP_EVALUATED:1:FAILED', 'SESSION_DECIDED::FAILED']);
    expect(operatorSaw[3]!.warnings).toEqual([]);
    expect(operatorSaw[4]!.warnings).toEqual([{ code: 'FACE_MISMATCH', severity: 'HIGH' }]);
    await log.return!();
  });
});
