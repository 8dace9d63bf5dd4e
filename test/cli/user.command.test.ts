import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIdgraph } from '../support/cli-process.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';
import { postGraphQL, startTestNode } from '../support/test-node.js';

describe.each(testDrivers('CLI user commands'))('idgraph user invite / reset-password on %s', (driver) => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  const idgraph = (...args: string[]) => runIdgraph(args, { env });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'idgraph-cli-users-'));
    database = driver === 'postgresql' ? await createTestDatabase('postgresql') : undefined;
    env = { IDGRAPH_DATA_DIR: dataDir, ...(database?.url ? { DATABASE_URL: database.url } : {}) };
  });
  afterAll(async () => {
    await database?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  // The commands run first, in order, on one database; a node then opens it (an embedded database has one user at a time).
  let invite: { token: string };
  let resetToken: string;

  it('prints one-time set-password links: an invitation and a reset', { timeout: 180_000 }, async () => {
    expect((await idgraph('tenant', 'create', '--name', 'Acme', '--slug', 'acme', '--owner-email', 'ops@acme.example')).code).toBe(0);
    const invited = await idgraph('user', 'invite', '--tenant', 'acme', '--email', 'Ana@Acme.example', '--role', 'operator', '--json');
    expect(invited.code, invited.stderr).toBe(0);
    invite = JSON.parse(invited.stdout);
    expect(invite).toMatchObject({ email: 'ana@acme.example', role: 'OPERATOR', token: expect.stringMatching(/^idp_/), setPasswordPath: `/console/set-password#token=${invite.token}` });
    const reset = await idgraph('user', 'reset-password', '--tenant', 'acme', '--email', 'ops@acme.example');
    expect(reset.code, reset.stderr).toBe(0);
    resetToken = /^token: (\S+)$/m.exec(reset.stdout)![1]!;
  });

  it('refuses bad input with a clear message: exit 2 for usage, 1 for what the rules refuse', { timeout: 180_000 }, async () => {
    for (const [args, code, message] of [
      [['user', 'invite', '--tenant', 'acme', '--email', 'x@acme.example', '--role', 'king'], 2, /unknown role: king/],
      [['user', 'invite', '--tenant', 'acme', '--email', 'x@acme.example'], 2, /missing --role/],
      [['user', 'invite', '--tenant', 'acme', '--email', 'not-an-email', '--role', 'ANALYST'], 1, /not an email address/],
      [['user', 'invite', '--tenant', 'acme', '--email', 'ana@acme.example', '--role', 'ANALYST'], 1, /an operator with this email exists/],
      [['user', 'reset-password', '--tenant', 'acme', '--email', 'nobody@acme.example'], 1, /no such user/],
      [['user', 'invite', '--tenant', 'nope', '--email', 'x@acme.example', '--role', 'ANALYST'], 1, /no tenant with slug "nope"/],
    ] as const) {
      const result = await idgraph(...args);
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('a node accepts each printed link once', { timeout: 180_000 }, async () => {
    const node = await startTestNode(driver, env);
    try {
      const gql = (query: string, variables: Record<string, unknown>) => postGraphQL(node.url, { query, variables }).then((r) => r.body);
      const set = 'mutation($t: String!, $p: String!) { setPassword(token: $t, password: $p) { email status } }';
      expect((await gql(set, { t: invite.token, p: 'correct horse battery staple' })).data.setPassword).toEqual({ email: 'ana@acme.example', status: 'ACTIVE' });
      expect((await gql(set, { t: invite.token, p: 'correct horse battery staple' })).errors[0].extensions.reason).toBe('PASSWORD_LINK_USED');
      expect((await gql(set, { t: resetToken, p: 'the owner is back in' })).data.setPassword.email).toBe('ops@acme.example');
      const login = 'mutation($e: String!, $p: String!) { login(tenant: "acme", email: $e, password: $p) { operator { role } } }';
      expect((await gql(login, { e: 'ana@acme.example', p: 'correct horse battery staple' })).data.login.operator.role).toBe('OPERATOR');
      expect((await gql(login, { e: 'ops@acme.example', p: 'the owner is back in' })).data.login.operator.role).toBe('OWNER');
    } finally {
      await node.dispose();
    }
  });
});
