import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { seedTenant } from '../support/seed.js';
import { startTestNode, type TestNode } from '../support/test-node.js';

const UPLOAD = 'mutation($sessionId: ID!, $file: Upload!) { uploadCapture(sessionId: $sessionId, step: 0, file: $file) { captureId } }';

describe('upload count limit (IDGRAPH_MAX_UPLOAD_FILES)', () => {
  let node: TestNode;
  let token: string;
  beforeAll(async () => {
    node = await startTestNode('pglite', { IDGRAPH_SEED_DEMO: 'false', IDGRAPH_MAX_UPLOAD_FILES: '2' });
    token = (await seedTenant(node.services.db, 'upload-limits')).token.secret;
  });
  afterAll(() => node?.dispose());

  /** A GraphQL multipart request carrying `files` files: the first is the operation's, the others extra variables. */
  async function uploadFiles(files: number) {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: UPLOAD, variables: { sessionId: 'not-an-id', file: null } }));
    const map = Object.fromEntries(Array.from({ length: files }, (_, i) => [String(i), [i === 0 ? 'variables.file' : `variables.extra${i}`]]));
    form.append('map', JSON.stringify(map));
    for (let i = 0; i < files; i++) form.append(String(i), new Blob([new Uint8Array([0xff, 0xd8, 0xff, i])], { type: 'image/jpeg' }), `${i}.jpg`);
    const res = await fetch(node.url, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('takes the count from the configuration: one file by default, a bad value named', () => {
    expect(loadConfig({}).limits.maxUploadFiles).toBe(1);
    expect(() => loadConfig({ IDGRAPH_MAX_UPLOAD_FILES: '0' })).toThrow(/IDGRAPH_MAX_UPLOAD_FILES/);
  });

  it('accepts up to the configured count, and refuses more with a typed code', async () => {
    // Within the count the operation runs (and fails on its own terms: the session id is malformed).
    for (const files of [1, 2]) {
      const within = await uploadFiles(files);
      expect(within.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'sessionId' });
    }
    const over = await uploadFiles(3);
    expect(over.status).toBe(413);
    expect(over.body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_MANY_FILES', maxFiles: 2 } }]);
  });
});
