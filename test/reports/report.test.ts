import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../domain/sessions/session.entity.js';
import type { SessionIdentity } from '../../domain/sessions/session-identity.js';
import { RejectType, ReviewAnswer, SessionStatus } from '../../domain/sessions/session-status.js';
import { WarningSeverity } from '../../domain/warnings/warning.js';
import { seedTenant } from '../support/seed.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

/** The stored values a report filters on, as seeded. */
interface Seeded {
  id: string;
  scenario: 'first' | 'second';
  status: SessionStatus;
  startedAt: Date;
  finishedAt: Date | null;
  reviewAnswer: ReviewAnswer | null;
  rejectType: RejectType | null;
  rejectLabels: string[];
  codes: string[];
  needsReview: boolean;
  identity: SessionIdentity;
  externalUserId: string;
  linked: boolean;
}

const T0 = Date.UTC(2026, 2, 1);
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Eight sessions whose every filter and aggregate answer is known (Europe/Prague is UTC+1 on these days). */
const PLAN: (Omit<Seeded, 'id' | 'startedAt' | 'finishedAt'> & { at: number; took: number | null })[] = [
  { at: 10 * HOUR, took: 10, scenario: 'first', status: SessionStatus.SUCCESS, reviewAnswer: ReviewAnswer.GREEN, rejectType: null, rejectLabels: [], codes: [], needsReview: false, externalUserId: 'u0', linked: true,
    identity: { surname: 'MÜLLER', givenNames: 'ANNA MARIA', documentType: 'PASSPORT', issuingCountry: 'DEU', nationality: 'DEU', documentNumber: 'C01X00T47', birthDate: '1990-05-01', personalNumber: 'P100' } },
  { at: 23 * HOUR + 30 * MINUTE, took: 20, scenario: 'first', status: SessionStatus.FAILED, reviewAnswer: ReviewAnswer.RED, rejectType: RejectType.RETRY, rejectLabels: ['DOCUMENT_EXPIRED'], codes: ['DOCUMENT_EXPIRED'], needsReview: false, externalUserId: 'u1', linked: true,
    identity: { surname: 'MULLEROVA', givenNames: 'JANA', documentType: 'ID_CARD', issuingCountry: 'CZE', nationality: 'CZE', documentNumber: 'AB1234567', birthDate: '1985-12-31' } },
  { at: 34 * HOUR, took: 30, scenario: 'second', status: SessionStatus.SUSPICIOUS, reviewAnswer: null, rejectType: null, rejectLabels: [], codes: ['FACE_MISMATCH', 'DOCUMENT_EXPIRED'], needsReview: true, externalUserId: 'u2', linked: false,
    identity: { surname: 'SMITH', givenNames: 'JOHN', documentType: 'PASSPORT', issuingCountry: 'GBR', nationality: 'GBR', documentNumber: '123456789', birthDate: '2000-01-01' } },
  { at: 58 * HOUR, took: 40, scenario: 'second', status: SessionStatus.FAILED, reviewAnswer: ReviewAnswer.RED, rejectType: RejectType.FINAL, rejectLabels: ['FORGERY', 'DOCUMENT_EXPIRED'], codes: ['FACE_MISMATCH', 'FACE_MISMATCH'], needsReview: false, externalUserId: 'u3', linked: false,
    identity: { surname: "O'NEIL_100%", givenNames: 'MARY', documentType: 'ID_CARD', issuingCountry: 'IRL', nationality: 'IRL', documentNumber: 'IE0000001', birthDate: '1985-12-30' } },
  { at: 60 * HOUR, took: null, scenario: 'first', status: SessionStatus.IN_PROGRESS, reviewAnswer: null, rejectType: null, rejectLabels: [], codes: [], needsReview: false, externalUserId: 'u4', linked: false, identity: {} },
  { at: 80 * HOUR, took: 50, scenario: 'first', status: SessionStatus.SUCCESS, reviewAnswer: ReviewAnswer.GREEN, rejectType: null, rejectLabels: [], codes: ['LOW_QUALITY'], needsReview: true, externalUserId: 'u5', linked: false,
    identity: { surname: 'ONEIL', givenNames: 'PAT', documentType: 'DRIVING_LICENSE', issuingCountry: 'IRL', nationality: 'IRL', birthDate: '1970-07-07', personalNumber: 'P200' } },
];

describe.each(testDrivers('reports'))('report and reportAggregates on %s', (driver) => {
  let node: TestNode;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  let batchId: string;
  const scenarios = {} as Record<Seeded['scenario'], string>;
  const seeded: Seeded[] = [];
  const asTenant = (query: string, token = tenant.token.secret) => postGraphQL(node.url, { query }, { authorization: `Bearer ${token}` });

  /** Every id `report` returns for the filter, walking pages of `first`. */
  async function reportIds(filter: string, first = 2): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await asTenant(`{ report(filter: ${filter}, first: ${first}${after ? `, after: "${after}"` : ''}) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`);
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data.report;
      ids.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!page.pageInfo.hasNextPage) {
        expect(page.totalCount).toBe(ids.length);
        return ids;
      }
      after = page.pageInfo.endCursor;
    }
  }

  /** The seeded ids the predicate selects, newest first (the default order). */
  const expected = (select: (s: Seeded) => boolean) =>
    seeded.filter(select).sort((x, y) => y.startedAt.getTime() - x.startedAt.getTime()).map((s) => s.id);

  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false' });
    tenant = await seedTenant(node.services.db, 'reports');
    scenarios.first = (await asTenant('{ scenarios { id } }')).body.data.scenarios[0].id;
    scenarios.second = (await asTenant('mutation { createScenario(input: { name: "second", steps: [{ kind: SELFIE }] }) { id } }')).body.data.createScenario.id;
    const links = await asTenant(`mutation { createKycLinks(scenarioId: "${scenarios.first}", count: 2) { batchId links { link { id } } } }`);
    batchId = links.body.data.createKycLinks.batchId;
    const linkIds: string[] = links.body.data.createKycLinks.links.map((l: { link: { id: string } }) => l.link.id);
    const em = node.services.db.forTenant(tenant.tenant.id);
    for (const { at, took, codes, linked, scenario, ...plan } of PLAN) {
      const res = await asTenant(`mutation { createSession(input: { scenarioId: "${scenarios[scenario]}", externalUserId: "${plan.externalUserId}" }) { session { id } } }`);
      const id = res.body.data.createSession.session.id as string;
      const startedAt = new Date(T0 + at);
      const finishedAt = took === null ? null : new Date(T0 + at + took * MINUTE);
      // Decisions take uploads and models; reports are about the stored values, so they are written directly.
      const warnings = codes.map((code) => ({ code, severity: WarningSeverity.HIGH, confidence: 0.9, message: code }));
      await em.nativeUpdate(Session, { id }, { ...plan, startedAt, finishedAt, warnings, kycLinkId: linked ? linkIds[seeded.length] : null });
      seeded.push({ id, scenario, codes, linked, startedAt, finishedAt, ...plan });
    }
  });
  afterAll(() => node?.dispose());

  const cases: [string, string, (s: Seeded) => boolean][] = [
    ['no filter', '{}', () => true],
    ['started range', `{ started: { from: "${new Date(T0 + 20 * HOUR).toISOString()}", to: "${new Date(T0 + 60 * HOUR).toISOString()}" } }`, (s) => s.startedAt.getTime() >= T0 + 20 * HOUR && s.startedAt.getTime() < T0 + 60 * HOUR],
    ['decided range', `{ decided: { from: "${new Date(T0 + 24 * HOUR).toISOString()}" } }`, (s) => s.finishedAt !== null && s.finishedAt.getTime() >= T0 + 24 * HOUR],
    ['statuses', '{ statuses: [FAILED, SUSPICIOUS] }', (s) => s.status === SessionStatus.FAILED || s.status === SessionStatus.SUSPICIOUS],
    ['review answer', '{ reviewAnswers: [RED] }', (s) => s.reviewAnswer === ReviewAnswer.RED],
    ['reject type', '{ rejectTypes: [FINAL] }', (s) => s.rejectType === RejectType.FINAL],
    ['reject labels (any)', '{ rejectLabels: ["FORGERY", "NOT_A_LABEL"] }', (s) => s.rejectLabels.includes('FORGERY')],
    ['warning codes any', '{ warningCodes: { codes: ["FACE_MISMATCH", "LOW_QUALITY"] } }', (s) => s.codes.includes('FACE_MISMATCH') || s.codes.includes('LOW_QUALITY')],
    ['warning codes all', '{ warningCodes: { codes: ["FACE_MISMATCH", "DOCUMENT_EXPIRED"], match: ALL } }', (s) => s.codes.includes('FACE_MISMATCH') && s.codes.includes('DOCUMENT_EXPIRED')],
    ['needs review', '{ needsReview: true }', (s) => s.needsReview],
    ['no review needed', '{ needsReview: false }', (s) => !s.needsReview],
    ['document type and country', '{ documentTypes: ["id_card", "PASSPORT"], issuingCountries: ["cze", "GBR"] }', (s) => ['ID_CARD', 'PASSPORT'].includes(s.identity.documentType ?? '') && ['CZE', 'GBR'].includes(s.identity.issuingCountry ?? '')],
    ['surname contains, any case and accent as stored', '{ surnameContains: "müller" }', (s) => s.identity.surname === 'MÜLLER'],
    ['surname contains', '{ surnameContains: "mull" }', (s) => s.identity.surname === 'MULLEROVA'],
    ['surname contains LIKE characters literally', '{ surnameContains: "l_100%" }', (s) => s.identity.surname === "O'NEIL_100%"],
    ['underscore is not a wildcard', '{ surnameContains: "o_neil" }', () => false],
    ['given names contain', '{ givenNamesContains: "mari" }', (s) => (s.identity.givenNames ?? '').includes('MARI')],
    ['document number', '{ documentNumber: "ab1234567" }', (s) => s.identity.documentNumber === 'AB1234567'],
    ['nationality', '{ nationality: "IRL" }', (s) => s.identity.nationality === 'IRL'],
    ['birth date range, inclusive', '{ birthDateFrom: "1985-12-31", birthDateTo: "2000-01-01" }', (s) => !!s.identity.birthDate && s.identity.birthDate >= '1985-12-31' && s.identity.birthDate <= '2000-01-01'],
    ['personal number', '{ personalNumber: "P200" }', (s) => s.identity.personalNumber === 'P200'],
    ['external user id', '{ externalUserId: "u3" }', (s) => s.externalUserId === 'u3'],
    ['scenario', 'SCENARIO', (s) => s.scenario === 'second'],
    ['KYC link batch', 'BATCH', (s) => s.linked],
    ['combined', '{ statuses: [FAILED], warningCodes: { codes: ["DOCUMENT_EXPIRED"] } }', (s) => s.status === SessionStatus.FAILED && s.codes.includes('DOCUMENT_EXPIRED')],
  ];
  const resolve = (filter: string) =>
    filter === 'SCENARIO' ? `{ scenarioIds: ["${scenarios.second}"] }` : filter === 'BATCH' ? `{ kycLinkBatchId: "${batchId}" }` : filter;

  for (const [name, filter, select] of cases) {
    it(`filters by ${name}, page after page`, async () => {
      const want = expected(select);
      if (name !== 'no filter' && name !== 'no review needed') expect(want.length).toBeLessThan(seeded.length);
      expect(await reportIds(resolve(filter))).toEqual(want);
    });
  }

  it('pages in any order sessions offers', async () => {
    const res = await asTenant('{ report(first: 10, orderBy: { field: CREATED_AT, direction: ASC }) { edges { node { id } } } }');
    expect(res.body.data.report.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(expected(() => true).reverse());
  });

  it('aggregates the sessions a filter selects: statuses, scenarios, days in a time zone, warnings, labels, median', async () => {
    const query = (filter: string, zone: string) =>
      asTenant(`{ reportAggregates(filter: ${filter}, timeZone: "${zone}") { total byStatus { key count } byScenario { key count } byDay { key count }
        byWarningCode { key count } byRejectLabel { key count } medianSecondsToDecision } }`);
    const all = await query('{}', 'UTC');
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data.reportAggregates).toEqual({
      total: 6,
      byStatus: [{ key: 'FAILED', count: 2 }, { key: 'SUCCESS', count: 2 }, { key: 'IN_PROGRESS', count: 1 }, { key: 'SUSPICIOUS', count: 1 }],
      byScenario: [{ key: scenarios.first, count: 4 }, { key: scenarios.second, count: 2 }],
      byDay: [{ key: '2026-03-01', count: 2 }, { key: '2026-03-02', count: 1 }, { key: '2026-03-03', count: 2 }, { key: '2026-03-04', count: 1 }],
      // The session with FACE_MISMATCH twice counts once.
      byWarningCode: [{ key: 'DOCUMENT_EXPIRED', count: 2 }, { key: 'FACE_MISMATCH', count: 2 }, { key: 'LOW_QUALITY', count: 1 }],
      byRejectLabel: [{ key: 'DOCUMENT_EXPIRED', count: 2 }, { key: 'FORGERY', count: 1 }],
      medianSecondsToDecision: 30 * 60,
    });
    // 23:30 UTC on 1 March is 00:30 on 2 March in Prague.
    const prague = await query('{}', 'Europe/Prague');
    expect(prague.body.data.reportAggregates.byDay).toEqual([{ key: '2026-03-01', count: 1 }, { key: '2026-03-02', count: 2 }, { key: '2026-03-03', count: 2 }, { key: '2026-03-04', count: 1 }]);
    const failed = await query('{ statuses: [FAILED] }', 'UTC');
    expect(failed.body.data.reportAggregates).toMatchObject({ total: 2, byStatus: [{ key: 'FAILED', count: 2 }], medianSecondsToDecision: 30 * 60 });
    const none = await query('{ externalUserId: "nobody" }', 'UTC');
    expect(none.body.data.reportAggregates).toEqual({ total: 0, byStatus: [], byScenario: [], byDay: [], byWarningCode: [], byRejectLabel: [], medianSecondsToDecision: null });
  });

  it('answers typed input errors: a bad time zone, a bad date, an oversized page, a bad cursor', async () => {
    const cases = [
      ['{ reportAggregates(timeZone: "Mars/Olympus") { total } }', 'timeZone'],
      ['{ report(filter: { birthDateFrom: "1990-13-45" }) { totalCount } }', 'filter.birthDateFrom'],
      ['{ report(first: 501) { totalCount } }', 'first'],
      ['{ report(after: "bm9wZQ") { totalCount } }', 'after'],
      [`{ report(filter: { surnameContains: "${'x'.repeat(201)}" }) { totalCount } }`, 'filter.surnameContains'],
      ['{ report(filter: { scenarioIds: ["not-an-id"] }) { totalCount } }', 'filter.scenarioIds'],
    ] as const;
    for (const [query, argument] of cases) {
      const res = await asTenant(query);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(res.body.errors[0].extensions)).toContain(argument);
    }
  });

  it('needs reports:read on every report field', async () => {
    const created = await asTenant('mutation { createApiToken(name: "no-reports", scopes: ["sessions:read"]) { secret } }');
    const token = created.body.data.createApiToken.secret as string;
    for (const query of ['{ report { totalCount } }', '{ reportAggregates { total } }']) {
      const res = await asTenant(query, token);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(res.body.data).toBeNull();
    }
  });
});
