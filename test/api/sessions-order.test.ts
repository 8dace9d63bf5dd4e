import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../domain/sessions/session.entity.js';
import { SessionStatus } from '../../domain/sessions/session-status.js';
import { seedTenant } from '../support/seed.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

/** What a session is ordered by, as seeded. */
interface Seeded {
  id: string;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  status: SessionStatus;
}

const FIELDS = { CREATED_AT: 'startedAt', UPDATED_AT: 'updatedAt', FINISHED_AT: 'finishedAt', STATUS: 'status' } as const;

/** The order the API promises: by the field, no value after every value, ties by id in the same direction. */
function expectedOrder(rows: Seeded[], field: keyof typeof FIELDS, direction: 'ASC' | 'DESC'): string[] {
  const key = FIELDS[field];
  const sign = direction === 'ASC' ? 1 : -1;
  const value = (r: Seeded) => (r[key] instanceof Date ? (r[key] as Date).getTime() : r[key]);
  return [...rows]
    .sort((x, y) => {
      const [vx, vy] = [value(x), value(y)];
      if (vx === null || vy === null) return sign * (vx === vy ? (x.id < y.id ? -1 : 1) : vx === null ? 1 : -1);
      if (vx !== vy) return sign * (vx < vy ? -1 : 1);
      return sign * (x.id < y.id ? -1 : 1);
    })
    .map((r) => r.id);
}

describe.each(testDrivers('sessions orderBy'))('sessions(orderBy) with keyset pages on %s', (driver) => {
  let node: TestNode;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  const seeded: Seeded[] = [];
  const partner = (query: string) => postGraphQL(node.url, { query }, { authorization: `Bearer ${tenant.token.secret}` });

  /** Every page of `sessions` with this order, `first` at a time; the ids in the order received. */
  async function walk(orderBy: string, first: number): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const args = `first: ${first}, orderBy: ${orderBy}${after ? `, after: "${after}"` : ''}`;
      const res = await partner(`{ sessions(${args}) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`);
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data.sessions;
      expect(page.totalCount).toBe(seeded.length);
      ids.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!page.pageInfo.hasNextPage) return ids;
      after = page.pageInfo.endCursor;
    }
  }

  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false' });
    tenant = await seedTenant(node.services.db, 'order');
    const scenarioId = (await partner('{ scenarios { id } }')).body.data.scenarios[0].id;
    // Statuses, finish times and update times with ties and gaps, so that every page boundary falls somewhere
    // interesting: equal values across pages, and running sessions (no finish time) among finished ones.
    const t0 = Date.UTC(2026, 0, 1);
    const plan: [SessionStatus, number | null, number][] = [
      [SessionStatus.SUCCESS, 5, 50],
      [SessionStatus.FAILED, 5, 40],
      [SessionStatus.IN_PROGRESS, null, 60],
      [SessionStatus.SUCCESS, 2, 40],
      [SessionStatus.SUSPICIOUS, 9, 10],
      [SessionStatus.IN_PROGRESS, null, 40],
      [SessionStatus.EXPIRED, 5, 70],
      [SessionStatus.SUCCESS, 1, 20],
      [SessionStatus.IN_PROGRESS, null, 30],
    ];
    const em = node.services.db.forTenant(tenant.tenant.id);
    for (const [index, [status, finished, updated]] of plan.entries()) {
      const res = await partner(`mutation { createSession(input: { scenarioId: "${scenarioId}", externalUserId: "u${index}" }) { session { id } } }`);
      const id = res.body.data.createSession.session.id as string;
      // Decisions take uploads and models; the order is about the stored values, so they are written directly.
      const row = { startedAt: new Date(t0 + index * 1000), updatedAt: new Date(t0 + updated * 1000), finishedAt: finished === null ? null : new Date(t0 + finished * 60_000), status };
      await em.nativeUpdate(Session, { id }, row);
      seeded.push({ id, ...row });
    }
  });
  afterAll(() => node?.dispose());

  it('keeps newest first by creation without orderBy', async () => {
    const res = await partner('{ sessions(first: 100) { edges { node { id } } } }');
    expect(res.body.data.sessions.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(expectedOrder(seeded, 'CREATED_AT', 'DESC'));
  });

  for (const field of Object.keys(FIELDS) as (keyof typeof FIELDS)[]) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`orders by ${field} ${direction}, page after page without skipping or repeating a session`, async () => {
        const expected = expectedOrder(seeded, field, direction);
        const orderBy = `{ field: ${field}, direction: ${direction} }`;
        expect(await walk(orderBy, 100)).toEqual(expected);
        for (const first of [1, 2, 4]) expect(await walk(orderBy, first)).toEqual(expected);
      });
    }
  }

  it('counts running sessions as finishing after every finished one: last ascending, first descending', async () => {
    const running = new Set(seeded.filter((s) => s.finishedAt === null).map((s) => s.id));
    expect(new Set((await walk('{ field: FINISHED_AT, direction: ASC }', 2)).slice(-running.size))).toEqual(running);
    expect(new Set((await walk('{ field: FINISHED_AT, direction: DESC }', 2)).slice(0, running.size))).toEqual(running);
  });

  it('refuses a cursor that cannot belong to the order asked for', async () => {
    const byStatus = await partner('{ sessions(first: 1, orderBy: { field: STATUS }) { pageInfo { endCursor } } }');
    const cursor = byStatus.body.data.sessions.pageInfo.endCursor;
    const res = await partner(`{ sessions(first: 1, orderBy: { field: UPDATED_AT }, after: "${cursor}") { totalCount } }`);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const bad = await partner('{ sessions(first: 1, orderBy: { field: NAME }) { totalCount } }');
    expect(bad.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
