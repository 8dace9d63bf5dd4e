import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../domain/tokens/scopes.js';
import { runIdgraph, type CliRun } from '../support/cli-process.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

/** A failure the user reads: the message asked for, and no stack trace. */
function expectClearFailure(result: CliRun, code: number, message: string | RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stdout).toBe('');
}

describe.each(testDrivers('CLI tenant and token commands'))('idgraph tenant create / token create on %s', (driver) => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  const idgraph = (...args: string[]) => runIdgraph(args, { env });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'idgraph-cli-data-'));
    database = driver === 'postgresql' ? await createTestDatabase('postgresql') : undefined;
    env = { IDGRAPH_DATA_DIR: dataDir, ...(database?.url ? { DATABASE_URL: database.url } : {}) };
  });
  afterAll(async () => {
    await database?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  // The commands run first, in order, on one database; a node then opens it (an embedded database has one user at a time).
  let tenant: { tenantId: string; slug: string; ownerEmail: string; ownerPassword: string; token: string; scopes: string[] };
  let crm: { token: string; expiresAt: string };

  it('tenant create prints the tenant, the owner password and a full-access token once, as JSON', async () => {
    const result = await idgraph('tenant', 'create', '--name', 'Acme', '--slug', 'acme', '--owner-email', 'ops@acme.example', '--json');
    expect(result.code, result.stderr).toBe(0);
    // stdout carries the JSON alone: the development key's warning goes to stderr.
    tenant = JSON.parse(result.stdout);
    expect(tenant).toEqual({
      tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      slug: 'acme',
      ownerEmail: 'ops@acme.example',
      ownerPassword: expect.stringMatching(/^.{12,}$/),
      token: expect.stringMatching(/^idg_/),
      scopes: [...ALL_SCOPES],
    });
    expect(result.stderr).toContain('IDGRAPH_MASTER_KEY is not set');
    expect(await readdir(dataDir)).toContain('dev-master.key');
  });

  it('token create prints a scoped token with its expiry', async () => {
    const before = Date.now();
    const result = await idgraph('token', 'create', '--tenant', 'acme', '--name', 'crm', '--scopes', 'sessions:read,sessions:write', '--expires-days', '90');
    expect(result.code, result.stderr).toBe(0);
    const lines = Object.fromEntries(result.stdout.trim().split('\n').map((line) => line.split(/: (.*)/s).slice(0, 2)));
    expect(lines).toMatchObject({ scopes: 'sessions:read,sessions:write', token: expect.stringMatching(/^idg_/) });
    crm = { token: lines.token, expiresAt: lines.expiresAt };
    const expiry = new Date(crm.expiresAt).getTime();
    expect(expiry).toBeGreaterThanOrEqual(before + 90 * 86_400_000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 90 * 86_400_000);
  });

  it.each([
    [['tenant', 'create', '--name', 'Acme', '--owner-email', 'ops@acme.example'], 2, /usage: idgraph tenant create --name N --slug S/],
    [['tenant', 'create', '--name', 'Acme', '--slug', 'acme', '--owner-email', 'x@acme.example', '--colour', 'red'], 2, /Unknown option '--colour'[\s\S]*usage: idgraph tenant create/],
    [['tenant', 'remove', '--slug', 'acme'], 2, /usage: idgraph tenant create/],
    [['token', 'create', '--tenant', 'acme', '--name', 'crm'], 2, /usage: idgraph token create --tenant SLUG/],
    [['token', 'create', '--tenant', 'acme', '--name', 'crm', '--scopes', 'sessions:read', '--expires-days', 'soon'], 2, /--expires-days must be a positive number/],
  ])('refuses bad arguments with the usage and exit code 2: %j', async (args, code, message) => {
    expectClearFailure(await idgraph(...args), code, message);
  });

  it.each([
    [['tenant', 'create', '--name', 'Acme again', '--slug', 'acme', '--owner-email', 'ops@acme.example'], /a tenant with slug "acme" exists/],
    [['tenant', 'create', '--name', 'Bad', '--slug', 'Bad Slug!', '--owner-email', 'ops@bad.example'], /slug: lowercase letters, digits and dashes/],
    [['token', 'create', '--tenant', 'nope', '--name', 'crm', '--scopes', 'sessions:read'], /no tenant with slug "nope"/],
    [['token', 'create', '--tenant', 'acme', '--name', 'crm', '--scopes', 'sessions:read,sessions:fly'], /unknown scope\(s\): sessions:fly/],
  ])('refuses what the domain refuses with its message and exit code 1: %j', async (args, message) => {
    expectClearFailure(await idgraph(...args), 1, message);
  });

  describe('a node on the same database', () => {
    let node: TestNode;
    beforeAll(async () => {
      node = await startTestNode(driver, env);
    });
    afterAll(() => node?.dispose());

    const whoAmI = '{ viewer { kind scopes role } tenant { slug name } }';

    it('accepts the printed tokens, each with its own scopes, and the printed owner password', async () => {
      const owner = await postGraphQL(node.url, { query: whoAmI }, { authorization: `Bearer ${tenant.token}` });
      expect(owner.body).toEqual({ data: { viewer: { kind: 'TOKEN', scopes: [...ALL_SCOPES], role: null }, tenant: { slug: 'acme', name: 'Acme' } } });

      const scoped = await postGraphQL(node.url, { query: whoAmI }, { authorization: `Bearer ${crm.token}` });
      expect(scoped.body.data.viewer.scopes).toEqual(['sessions:read', 'sessions:write']);
      const forbidden = await postGraphQL(node.url, { query: '{ scenarios { id } }' }, { authorization: `Bearer ${crm.token}` });
      expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');

      const login = await postGraphQL(node.url, {
        query: 'mutation($t: String!, $e: String!, $p: String!) { login(tenant: $t, email: $e, password: $p) { accessToken } }',
        variables: { t: 'acme', e: tenant.ownerEmail, p: tenant.ownerPassword },
      });
      const operator = await postGraphQL(node.url, { query: whoAmI }, { authorization: `Bearer ${login.body.data.login.accessToken}` });
      expect(operator.body.data).toMatchObject({ viewer: { kind: 'USER', role: 'OWNER' }, tenant: { slug: 'acme' } });
    });

    it('rejects a token that was never printed', async () => {
      const forged = `${crm.token.slice(0, -4)}AAAA`;
      const res = await postGraphQL(node.url, { query: whoAmI }, { authorization: `Bearer ${forged}` });
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });
  });
});

describe('idgraph in production', () => {
  it('refuses to start without IDGRAPH_MASTER_KEY, naming it, and writes no development key', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'idgraph-cli-prod-'));
    try {
      const result = await runIdgraph(['serve'], { env: { NODE_ENV: 'production', IDGRAPH_DATA_DIR: dataDir, IDGRAPH_PORT: '0' } });
      expectClearFailure(result, 1, /IDGRAPH_MASTER_KEY: required when NODE_ENV=production/);
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
