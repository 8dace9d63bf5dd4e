import { CloseCode } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorCode } from '../../server/errors.js';
import { testDrivers } from '../support/test-database.js';
import { documentCases } from './cases/documents.cases.js';
import { headerCases } from './cases/headers.cases.js';
import { imageCases } from './cases/images.cases.js';
import { multipartCases } from './cases/multipart.cases.js';
import { scalarCases } from './cases/scalars.cases.js';
import { variableCases } from './cases/variables.cases.js';
import { websocketCases } from './cases/websocket.cases.js';
import { TYPED_CODES, type HostileCase, type HostileGroup } from './hostile-case.js';
import { gql, startHostileTarget, type HostileTarget, type Outcome } from './hostile-target.js';

const CORPUS: Record<HostileGroup, HostileCase[]> = {
  documents: documentCases,
  variables: variableCases,
  scalars: scalarCases,
  headers: headerCases,
  multipart: multipartCases,
  images: imageCases,
  websocket: websocketCases,
};
const CASES = Object.entries(CORPUS).flatMap(([group, cases]) => cases.map((c) => ({ ...c, label: `${group}: ${c.name}` })));


/** A stack frame, or the field Apollo puts one in. */
const LEAK = /stacktrace|\n\s+at \S+ \(|node_modules|\/work\/|file:\/\//;

/** The checks every answer of the corpus passes, whatever the case: typed, and nothing of the server's inside leaks. */
function assertTyped(outcome: Outcome): void {
  const answer = outcome.text.slice(0, 500);
  if (outcome.transport === 'http') expect(outcome.status, answer).toBeLessThan(500);
  else expect([CloseCode.InternalServerError, 1011], answer).not.toContain(outcome.status);
  for (const code of outcome.codes) {
    expect(code, `untyped error in ${answer}`).toBeDefined();
    expect(TYPED_CODES.has(code!), `unknown code ${code} in ${answer}`).toBe(true);
    expect(code, answer).not.toBe(ApiErrorCode.INTERNAL_SERVER_ERROR);
  }
  expect(outcome.text).not.toMatch(LEAK);
}

/**
 * The hostile corpus (issue 19): each case is sent to a running node and must get its typed refusal (HTTP status, or
 * a socket's close code, and `extensions.code`), no answer of the corpus may be untyped, a 5xx, or leak a stack, and the
 * node must still answer afterwards.
 */
describe.each(testDrivers('hostile corpus'))('hostile corpus on %s', (driver) => {
  let target: HostileTarget;
  beforeAll(async () => {
    target = await startHostileTarget(driver, { IDGRAPH_MAX_UPLOAD_BYTES: String(2 * 1024 * 1024), IDGRAPH_WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '3' });
  });
  afterAll(() => target?.node.dispose());

  it('holds at least 60 cases over every group', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    for (const cases of Object.values(CORPUS)) expect(cases.length).toBeGreaterThan(0);
  });

  it.each(CASES)('$label', async (hostile) => {
    const outcome = await hostile.send(target);
    assertTyped(outcome);
    expect({ status: outcome.status, code: outcome.codes[0] ?? null }, outcome.text.slice(0, 500)).toEqual({ status: hostile.status, code: hostile.code });
    if (hostile.reason) expect(outcome.reasons, outcome.text.slice(0, 500)).toContain(hostile.reason);
    const after = await gql(target, '{ health { status } }');
    expect(after.status).toBe(200);
    expect(JSON.parse(after.text).data.health.status).toBe('ok');
  });
});
