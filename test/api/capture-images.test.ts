import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_URL_TTL_MS } from '../../domain/images/capture-image.service.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';
import { postGraphQL, type TestNode } from '../support/test-node.js';
import { testDrivers } from '../support/test-database.js';
import { holderSelfie } from '../verification/verification-fixtures.js';
import { startVerificationNode, type VerificationTenant } from '../verification/verification-harness.js';

// Issue 20: capture images are served to authorised callers through short-lived signed URLs on idgraph's own server.
describe.each(testDrivers('capture images'))('capture images on %s', (driver) => {
  let node: TestNode;
  let a: VerificationTenant;
  let b: VerificationTenant;
  let upload: Buffer;
  let captureId: string;
  let sessionId: string;
  beforeAll(async () => {
    let newTenant: () => Promise<VerificationTenant>;
    ({ node, tenant: newTenant } = await startVerificationNode(driver));
    [a, b] = [await newTenant(), await newTenant()];
    upload = await holderSelfie(2);
    sessionId = await a.session(await a.scenario([{ kind: StepKind.SELFIE }]));
    captureId = (await a.upload(sessionId, 0, upload)).capture.id;
  });
  afterAll(() => node?.dispose());

  const gql = async (token: string, query: string) => (await postGraphQL(node.url, { query }, { authorization: `Bearer ${token}` })).body;
  const urls = async (token: string) =>
    (await gql(token, `{ session(id: "${sessionId}") { steps { captures { id original: imageUrl thumbnail: imageUrl(variant: THUMBNAIL) } } } }`));
  const fetchImage = (path: string, init?: RequestInit) => fetch(new URL(path, node.url), init);

  it('serves the decrypted original and a thumbnail, uncached, with their content types', async () => {
    const [capture] = (await urls(a.token)).data.session.steps[0].captures;
    expect(capture.id).toBe(captureId);
    expect(capture.original).toMatch(/^\/images\/img_/);
    const original = await fetchImage(capture.original);
    expect(original.status).toBe(200);
    expect(original.headers.get('cache-control')).toBe('no-store');
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await original.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(createHash('sha256').update(upload).digest('hex'));

    const thumbnail = await fetchImage(capture.thumbnail);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('cache-control')).toBe('no-store');
    const meta = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(320);
    expect((await fetchImage(capture.original, { method: 'POST' })).status).toBe(405);
  });

  it('refuses tampered, expired, foreign and malformed URLs with typed errors, serving nothing', async () => {
    const path: string = (await urls(a.token)).data.session.steps[0].captures[0].original;
    const token = path.slice('/images/'.length);
    const [payload, mac] = token.slice(4).split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, t: b.tenantId })).toString('base64url');
    const flipped = mac.slice(0, -2) + (mac.at(-2) === 'A' ? 'B' : 'A') + mac.at(-1);
    // Minted 5 min 1 s ago: expired a second ago.
    const expired = node.services.images.urlFor(a.tenantId, captureId, 'ORIGINAL', new Date(Date.now() - IMAGE_URL_TTL_MS - 1000));
    // Tenant B's own (validly signed) URL naming A's capture: the lookup is B's, it finds nothing.
    const foreign = node.services.images.urlFor(b.tenantId, captureId, 'ORIGINAL');
    const cases: [string, number, 'IMAGE_URL_INVALID' | 'IMAGE_NOT_FOUND'][] = [
      [`/images/img_${forged}.${mac}`, 403, 'IMAGE_URL_INVALID'],
      [`/images/img_${payload}.${flipped}`, 403, 'IMAGE_URL_INVALID'],
      [expired, 403, 'IMAGE_URL_INVALID'],
      [foreign, 404, 'IMAGE_NOT_FOUND'],
      ['/images/', 403, 'IMAGE_URL_INVALID'],
      ['/images/%E0%A4%A', 403, 'IMAGE_URL_INVALID'],
      ['/images/img_..%2F..%2Fgraphql', 403, 'IMAGE_URL_INVALID'],
      [`/images/${'x'.repeat(5000)}`, 403, 'IMAGE_URL_INVALID'],
    ];
    for (const [url, status, reason] of cases) {
      const res = await fetchImage(url);
      expect(res.status, url).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = (await res.json()) as { errors: { extensions: { code: string; reason: string } }[] };
      expect(body.errors[0]!.extensions).toEqual({ code: status === 403 ? 'FORBIDDEN' : 'NOT_FOUND', reason });
    }
  });

  it('gives URLs to readers only: an applicant gets none, and an erased session serves nothing', async () => {
    const applicant = node.services.applicantTokens.sign({ sessionId, tenantId: a.tenantId, expiresAt: new Date(Date.now() + 60_000) });
    const asApplicant = await urls(applicant);
    expect(asApplicant.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(asApplicant)).not.toContain('/images/');
    const path: string = (await urls(a.token)).data.session.steps[0].captures[0].original;
    await node.services.erasure.erase(a.em(), a.tenantId, sessionId, { policy: 'test' });
    expect((await fetchImage(path)).status).toBe(404);
  });
});
