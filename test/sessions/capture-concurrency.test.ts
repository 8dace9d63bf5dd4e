import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topic, type BusEvent } from '../../domain/events/event.types.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';
import { Capture } from '../../domain/sessions/capture.entity.js';
import { CaptureService } from '../../domain/sessions/capture.service.js';
import { VerificationEngine } from '../../domain/verification/verification.engine.js';
import type { TestNode } from '../support/test-node.js';
import { testDrivers } from '../support/test-database.js';
import { holderSelfie } from '../verification/verification-fixtures.js';
import { startVerificationNode, type VerificationTenant } from '../verification/verification-harness.js';

/**
 * The real engine, held after its analysis until `parties` uploads have all been analysed: the uploads then reach the
 * recording transaction together, the worst case for the session's row lock (models take milliseconds to seconds, so
 * without the barrier the race would usually be won before it starts).
 */
class BarrierEngine extends VerificationEngine {
  private waiting: (() => void)[] = [];
  constructor(
    inference: ConstructorParameters<typeof VerificationEngine>[0],
    private readonly parties: number,
  ) {
    super(inference);
  }

  override async analyze(...args: Parameters<VerificationEngine['analyze']>) {
    const analysis = await super.analyze(...args);
    await new Promise<void>((release) => {
      this.waiting.push(release);
      if (this.waiting.length === this.parties) for (const go of this.waiting.splice(0)) go();
    });
    return analysis;
  }
}

describe.each(testDrivers('concurrent captures'))('concurrent captures on %s', (driver) => {
  let node: TestNode;
  let t: VerificationTenant;
  beforeAll(async () => {
    const started = await startVerificationNode(driver);
    node = started.node;
    t = await started.tenant();
  });
  afterAll(() => node?.dispose());

  it('stores both of two last steps uploaded at once, counts their attempts and decides the session exactly once', async () => {
    const { services } = node;
    const captures = new CaptureService(services.db, services.sessions, new BarrierEngine(() => services.inference.get(), 2), services.blobs, services.events);
    const sessionId = await t.session(await t.scenario([{ kind: StepKind.SELFIE }, { kind: StepKind.SELFIE }]));
    const decided: BusEvent[] = [];
    const unsubscribe = await services.events.subscribe(t.tenantId, (event) => {
      if (event.topic === Topic.SESSION_DECIDED && event.sessionId === sessionId) decided.push(event);
    });
    const [a, b] = await Promise.all([holderSelfie(0), holderSelfie(0)]);
    const results = await Promise.all([
      captures.addCapture({ tenantId: t.tenantId, sessionId, position: 0, image: a }),
      captures.addCapture({ tenantId: t.tenantId, sessionId, position: 1, image: b }),
    ]);
    await unsubscribe();

    // One of the two saw the other's step already evaluated and decided; the other did not decide.
    expect(results.map((r) => r.session.status).sort()).toEqual(['IN_PROGRESS', 'SUCCESS']);
    const { session, steps } = await t.read(sessionId);
    expect(session).toMatchObject({ status: 'SUCCESS', reviewAnswer: 'GREEN', attempts: 2 });
    expect(steps.map((s) => [s.position, s.status, s.attempts])).toEqual([[0, 'PASSED', 1], [1, 'PASSED', 1]]);
    const stored = await t.em().find(Capture, { session: sessionId });
    expect(stored.map((c) => c.id).sort()).toEqual(results.map((r) => r.capture.id).sort());
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ status: 'SUCCESS' });
  });
});
