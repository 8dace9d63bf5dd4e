import { spawnSync } from 'node:child_process';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateSessionDocument, ScenariosDocument, SessionPageDocument } from '../generated/graphql.js';
import { seedTenant } from '../support/seed.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

describe('typed operations (GraphQL Code Generator)', () => {
  it('are generated from the committed schema and operations: `npm run codegen` leaves nothing to change', () => {
    const run = spawnSync('graphql-codegen', ['--config', 'codegen.yml', '--check'], { encoding: 'utf8', shell: false });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  describe('against a live node', () => {
    let node: TestNode;
    let token: string;
    beforeAll(async () => {
      node = await startTestNode('pglite', { IDGRAPH_SEED_DEMO: 'false' });
      token = (await seedTenant(node.services.db, 'typed')).token.secret;
    });
    afterAll(() => node?.dispose());

    /** Runs a typed document: variables and result are checked by the compiler, not by hand. */
    async function run<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables: V): Promise<R> {
      const res = await postGraphQL(node.url, { query: print(document), variables }, { authorization: `Bearer ${token}` });
      expect(res.body.errors).toBeUndefined();
      return res.body.data as R;
    }

    it('creates and pages sessions with the generated documents', async () => {
      const { scenarios } = await run(ScenariosDocument, {});
      const created = await run(CreateSessionDocument, { input: { scenarioId: scenarios[0]!.id, externalUserId: 'typed-1' } });
      expect(created.createSession.session.status).toBe('IN_PROGRESS');
      const page = await run(SessionPageDocument, { first: 5 });
      expect(page.sessions.edges.map((e) => e.node.id)).toContain(created.createSession.session.id);
      expect(page.sessions.edges[0]!.node.steps.length).toBeGreaterThan(0);
    });
  });
});
