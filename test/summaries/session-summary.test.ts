import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capture } from '../../domain/sessions/capture.entity.js';
import { Session } from '../../domain/sessions/session.entity.js';
import { SessionStatus } from '../../domain/sessions/session-status.js';
import { seedTenant } from '../support/seed.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

const run = promisify(execFile);
const POPPLER = ['/usr/bin/pdftoppm', '/usr/bin/pdftotext', '/usr/bin/pdfinfo'].every(existsSync) ? '/usr/bin/' : null;
if (!POPPLER) console.warn('[skip] session summary rendering: pdftoppm/pdftotext/pdfinfo (poppler-utils) are not installed; .ci/run installs them');

const SURNAME = 'Достоевская';
const GIVEN = 'Ελένη';

describe.each(testDrivers('session summary PDF'))('session summary PDF on %s', (driver) => {
  let node: TestNode;
  let work: string;
  const a = { token: '', tenantId: '', tenantName: '', sessionId: '' };
  let otherToken = '';

  const gql = (token: string, query: string, variables?: Record<string, unknown>) => postGraphQL(node.url, { query, variables }, { authorization: `Bearer ${token}` });
  const link = async (token: string, sessionId: string) => gql(token, 'mutation($id: ID!) { sessionSummaryPdf(sessionId: $id) { url expiresAt } }', { id: sessionId });
  const origin = () => node.url.replace('/graphql', '');

  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false' });
    work = await mkdtemp(join(tmpdir(), 'idgraph-pdf-'));
    const tenant = await seedTenant(node.services.db, 'pdf');
    Object.assign(a, { token: tenant.token.secret, tenantId: tenant.tenant.id, tenantName: tenant.tenant.name });
    otherToken = (await seedTenant(node.services.db, 'pdf-other')).token.secret;
    const scenario = (await gql(a.token, 'mutation { createScenario(input: { name: "Passport and selfie", steps: [{ kind: DOCUMENT }, { kind: SELFIE }] }) { id } }')).body.data.createScenario;
    a.sessionId = (await gql(a.token, `mutation { createSession(input: { scenarioId: "${scenario.id}", externalUserId: "client-7" }) { session { id } } }`)).body.data.createSession.session.id;

    // What an upload would have stored (uploads need the inference models; the summary only reads what is stored).
    const em = node.services.db.forTenant(a.tenantId);
    const session = await em.findOneOrFail(Session, a.sessionId, { populate: ['steps'] });
    const image = await readFile(new URL('../../samples/passport.jpg', import.meta.url));
    const blobKey = await node.services.blobs.put(a.tenantId, image);
    em.create(Capture, {
      tenant: a.tenantId,
      session,
      step: session.steps.getItems()[0]!,
      blobKey,
      sha256: '0'.repeat(64),
      byteSize: image.length,
      image: { format: 'jpeg', width: 640, height: 480 },
      documentType: 'PASSPORT',
      documentCountry: 'GRC',
      ocrFields: [
        { title: 'Surname', value: SURNAME, confidence: 0.97, isMismatch: false, isUnreadable: false, isEdited: false, imageIndex: 0 },
        { title: 'Given names', value: GIVEN, confidence: 0.91, isMismatch: false, isUnreadable: false, isEdited: false, imageIndex: 0 },
      ],
      mrz: {
        format: 'TD3',
        lines: ['P<GRCDOSTOEVSKAYA<<ELENI<<<<<<<<<<<<<<<<<<<<', 'AB12345674GRC9001011F3001012<<<<<<<<<<<<<<06'],
        fields: {},
        checks: [
          { name: 'documentNumber', valid: true, digit: '4', expected: '4' },
          { name: 'birthDate', valid: false, digit: '1', expected: '7' },
        ],
        valid: false,
      },
      warnings: [{ code: 'MRZ_CHECK_DIGIT', severity: 'HIGH' as never, confidence: 0.99, message: 'an MRZ check digit does not match' }],
      createdAt: new Date(),
      imagePurgedAt: null,
    });
    session.identity = { surname: SURNAME, givenNames: GIVEN, documentNumber: 'AB1234567', nationality: 'GRC' };
    session.status = SessionStatus.FAILED;
    session.finishedAt = new Date();
    session.decision = { scenarioVersion: 1, warnings: [{ code: 'MRZ_CHECK_DIGIT', effect: 'REJECT', severity: 'HIGH' }], decidedAt: new Date().toISOString(), decidedBy: 'ENGINE' };
    await em.flush();
    const reviewed = await gql(a.token, `mutation { reviewSession(id: "${a.sessionId}", decision: REJECT, note: "Birth date digit altered; Ελένη asked to retry") { status } }`);
    expect(reviewed.body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await node?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it.skipIf(!POPPLER)('renders every part of the session, Cyrillic and Greek names included, for a link issued under sessions:read', async () => {
    const issued = await link(a.token, a.sessionId);
    expect(issued.body.errors).toBeUndefined();
    const { url, expiresAt } = issued.body.data.sessionSummaryPdf;
    expect(url).toMatch(/^\/session-summary\?token=pdf_/);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);

    const res = await fetch(origin() + url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = join(work, 'summary.pdf');
    await writeFile(pdf, Buffer.from(await res.arrayBuffer()));

    await run(`${POPPLER}pdftoppm`, ['-r', '30', '-png', pdf, join(work, 'page')]);
    const pages = (await readdir(work)).filter((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const { stdout: info } = await run(`${POPPLER}pdfinfo`, [pdf]);
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(pages.length);

    const { stdout: text } = await run(`${POPPLER}pdftotext`, ['-layout', pdf, '-']);
    for (const expected of [
      a.tenantName,
      'Passport and selfie',
      'version 1',
      a.sessionId,
      'client-7',
      'Status: FAILED',
      'Review answer: RED',
      'Decided by: REVIEW',
      'Birth date digit altered',
      SURNAME,
      GIVEN,
      'confidence 0.970',
      'TD3, INVALID',
      'check digit birthDate: read 1, computed 7 — INVALID',
      'check digit documentNumber: read 4, computed 4 — valid',
      'MRZ_CHECK_DIGIT — severity HIGH, confidence 0.990',
      'Step 1: DOCUMENT',
      'Step 2: SELFIE',
      'Face match (portrait vs selfie): —',
      'session.review',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("refuses another tenant's session, a bad id, and callers without sessions:read, as typed errors", async () => {
    const foreign = await link(otherToken, a.sessionId);
    expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(foreign.body.data).toBeNull();
    expect((await link(a.token, 'not-an-id')).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const anonymous = await postGraphQL(node.url, { query: `mutation { sessionSummaryPdf(sessionId: "${a.sessionId}") { url } }` });
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers an altered, expired or missing link with a typed 403, a session erased since with a 404, other methods with a 405', async () => {
    const { url } = (await link(a.token, a.sessionId)).body.data.sessionSummaryPdf;
    const token = new URL(url, origin()).searchParams.get('token')!;
    const payload = token.slice(4, token.indexOf('.'));
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `pdf_${Buffer.from(JSON.stringify({ ...claims, e: claims.e + 86_400_000 })).toString('base64url')}${token.slice(token.indexOf('.'))}`;
    const expired = (await node.services.sessionSummaries.link(node.services.db.forTenant(a.tenantId), a.tenantId, a.sessionId, new Date(Date.now() - 3_600_000))).token;
    for (const [candidate, reason] of [
      [forged, 'LINK_INVALID'],
      [`${token.slice(0, -2)}AA`, 'LINK_INVALID'],
      ['', 'LINK_INVALID'],
      ['%00'.repeat(500), 'LINK_INVALID'],
      [expired, 'LINK_EXPIRED'],
    ] as const) {
      const res = await fetch(`${origin()}/session-summary?token=${encodeURIComponent(candidate)}`);
      expect(res.status).toBe(403);
      expect(((await res.json()) as any).errors[0].extensions).toEqual({ code: 'FORBIDDEN', reason });
    }
    const post = await fetch(origin() + url, { method: 'POST' });
    expect(post.status).toBe(405);

    const doomed = (await gql(a.token, `mutation { createSession(input: { scenarioId: "${(await gql(a.token, '{ scenarios { id } }')).body.data.scenarios[0].id}" }) { session { id } } }`)).body.data.createSession.session.id;
    const doomedUrl = (await link(a.token, doomed)).body.data.sessionSummaryPdf.url;
    await node.services.db.forTenant(a.tenantId).nativeDelete(Session, { id: doomed });
    const gone = await fetch(origin() + doomedUrl);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as any).errors[0].extensions).toEqual({ code: 'NOT_FOUND', reason: 'SESSION_NOT_FOUND' });
  });
});
