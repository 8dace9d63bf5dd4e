import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedTenant } from '../test/support/seed.js';
import { testDrivers } from '../test/support/test-database.js';
import { startTestNode, type TestNode } from '../test/support/test-node.js';

const CREATE_SCENARIO = 'mutation { createScenario(input: { name: "idem-complete", steps: [{ kind: SELFIE }] }) { id } }';

describe.each(testDrivers('Idempotency-Key when storing the answer fails'))('Idempotency-Key when storing the answer fails, on %s', (driver) => {
  let node: TestNode;
  let token: string;

  async function send(key: string) {
    const res = await fetch(node.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify({ query: CREATE_SCENARIO }),
    });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', body: (await res.json()) as any };
  }

  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false' });
    token = (await seedTenant(node.services.db, 'idem-complete')).token.secret;
  });
  afterAll(() => node?.dispose());

  it('still answers the committed mutation, and releases the key so a retry runs instead of waiting a day', async () => {
    const complete = vi.spyOn(node.services.idempotency, 'complete').mockRejectedValueOnce(new Error('connection lost'));
    const first = await send('key-complete-fails');
    expect(complete).toHaveBeenCalledTimes(1);
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    const retry = await send('key-complete-fails');
    // Not IDEMPOTENCY_KEY_IN_PROGRESS: the key was released, so the retry ran (a second scenario)…
    expect(retry.body.errors).toBeUndefined();
    expect(retry.replayed).toBe(false);
    expect(retry.body.data.createScenario.id).not.toBe(first.body.data.createScenario.id);
    // …and claimed the key again, this time with its answer stored.
    const again = await send('key-complete-fails');
    expect(again.replayed).toBe(true);
    expect(again.body.data.createScenario.id).toBe(retry.body.data.createScenario.id);
    complete.mockRestore();
  });
});
