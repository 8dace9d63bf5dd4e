import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessBus } from '../../domain/events/in-process.bus.js';
import { Topic } from '../../domain/events/event.types.js';
import type { Inference } from '../../inference/index.js';
import { pino } from 'pino';
import { startRetentionJob } from '../../server/jobs.js';
import { Metrics } from '../../server/metrics/metrics.js';
import { testDrivers } from '../support/test-database.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

const TOKEN = 'scrape-me-0123456789abcdef';

/** One sample of the Prometheus text format (version 0.0.4). */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the exposition format strictly enough that a malformed line fails the test. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g)) labels[key!] = value!;
    const value = Number(sample[3]);
    // Prometheus parses floats like Go's ParseFloat, case-insensitively (prom-client writes `Nan`).
    if (Number.isNaN(value) && !/^nan$/i.test(sample[3]!)) throw new Error(`not a number: ${line}`);
    samples.push({ name: sample[1]!, labels, value });
  }
  return { samples, types };
}

function sampleValue(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe.each(testDrivers('metrics'))('/metrics behind a token on %s', (driver) => {
  let node: TestNode;
  let metricsUrl: string;
  beforeAll(async () => {
    node = await startTestNode(driver, { IDGRAPH_METRICS_TOKEN: TOKEN });
    metricsUrl = node.url.replace('/graphql', '/metrics');
  });
  afterAll(() => node?.dispose());

  it('counts GraphQL operations by name and outcome, and serves them in the Prometheus format to the token holder', async () => {
    expect((await postGraphQL(node.url, { query: 'query Health { health { status } }' })).status).toBe(200);
    expect((await postGraphQL(node.url, { query: 'query Health { health { status } }' })).status).toBe(200);
    const denied = await postGraphQL(node.url, { query: 'query MySessions { sessions(first: 1) { totalCount } }' });
    expect(denied.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await postGraphQL(node.url, { query: '{ health { nope } }' });
    await postGraphQL(node.url, { query: '{ health { status } }' });

    const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types } = parseExposition(await res.text());
    const op = 'idgraph_graphql_operation_duration_seconds';
    expect(types.get(op)).toBe('histogram');
    expect(sampleValue(samples, `${op}_count`, { operation: 'Health', type: 'query', outcome: 'success' })).toBe(2);
    expect(sampleValue(samples, `${op}_count`, { operation: 'MySessions', type: 'query', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(sampleValue(samples, `${op}_count`, { operation: '(none)', type: 'unknown', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(sampleValue(samples, `${op}_count`, { operation: '(anonymous)', type: 'query', outcome: 'success' })).toBe(1);
    expect(sampleValue(samples, `${op}_bucket`, { operation: 'Health', outcome: 'success', le: '+Inf' })).toBe(2);
    for (const name of ['idgraph_inference_queue_depth', 'idgraph_inference_busy_workers']) {
      expect(types.get(name)).toBe('gauge');
      expect(sampleValue(samples, name, {})).toBe(0);
    }
    expect(types.get('idgraph_sessions_decided_total')).toBe('counter');
    expect(types.get('idgraph_retention_runs_total')).toBe('counter');
    expect(sampleValue(samples, 'idgraph_process_resident_memory_bytes', {})).toBeGreaterThan(0);
  });

  it('refuses a scrape without the token, with a wrong one, and with another method, as typed JSON', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: TOKEN }]) {
      const res = await fetch(metricsUrl, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await res.json()) as any).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'METRICS_TOKEN_REQUIRED' });
    }
    const post = await fetch(metricsUrl, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: 'x' });
    expect(post.status).toBe(405);
    expect(((await post.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('counts the runs of the retention job', async () => {
    const runs = async () => {
      const { samples } = parseExposition(await node.services.metrics.registry.metrics());
      return samples.filter((s) => s.name === 'idgraph_retention_runs_total' && s.labels.outcome !== 'failed').reduce((sum, s) => sum + s.value, 0);
    };
    // The node's own job runs once at start (then hourly): counted first, so only the job below can move the count.
    await expect.poll(runs).toBeGreaterThanOrEqual(1);
    const before = await runs();
    const job = startRetentionJob(node.services, pino({ level: 'silent' }), 60 * 60_000);
    await job.dispose();
    expect(await runs()).toBe(before + 1);
  });

  it('bounds the operation names a client can create', async () => {
    await postGraphQL(node.url, { query: `query ${'A'.repeat(80)} { health { status } }` });
    const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    const { samples } = parseExposition(await res.text());
    expect(samples.some((s) => s.labels.operation?.startsWith('AAAA'))).toBe(false);
    expect(sampleValue(samples, 'idgraph_graphql_operation_duration_seconds_count', { operation: '(other)' })).toBe(1);
  });
});

describe('/metrics off the public port', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode('pglite', { IDGRAPH_METRICS_PORT: '0' });
  });
  afterAll(() => node?.dispose());

  it('is served on its own listener only', async () => {
    expect((await fetch(node.url.replace('/graphql', '/metrics'))).status).toBe(404);
    expect(node.metricsUrl).toMatch(/\/metrics$/);
    const res = await fetch(node.metricsUrl!);
    expect(res.status).toBe(200);
    expect(parseExposition(await res.text()).types.get('idgraph_graphql_operation_duration_seconds')).toBe('histogram');
    const other = await fetch(node.metricsUrl!.replace('/metrics', '/graphql'));
    expect(other.status).toBe(404);
    expect(((await other.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('is not served at all when neither a port nor a token is configured', async () => {
    const plain = await startTestNode('pglite');
    try {
      const res = await fetch(plain.url.replace('/graphql', '/metrics'));
      expect(res.status).toBe(404);
      expect(plain.metricsUrl).toBeUndefined();
    } finally {
      await plain.dispose();
    }
  });
});

describe('metrics of the bus and the inference box', () => {
  it('counts the decisions and reviews this node publishes, by status', async () => {
    const metrics = new Metrics();
    const bus = metrics.observeBus(new InProcessBus());
    const received: string[] = [];
    const stop = await bus.subscribe('t1', (event) => received.push(event.topic));
    const base = { tenantId: 't1', sessionId: 's1', scenarioId: 'sc', at: new Date().toISOString() };
    await bus.publish({ ...base, topic: Topic.SESSION_DECIDED, status: 'SUCCESS' });
    await bus.publish({ ...base, topic: Topic.SESSION_DECIDED, status: 'FAILED' });
    await bus.publish({ ...base, topic: Topic.SESSION_REVIEWED, status: 'SUCCESS' });
    await bus.publish({ ...base, topic: Topic.CAPTURE_RECEIVED, status: 'IN_PROGRESS' });
    await stop();
    await bus.close();
    expect(received).toHaveLength(4);
    const { samples } = parseExposition(await metrics.registry.metrics());
    expect(sampleValue(samples, 'idgraph_sessions_decided_total', { status: 'SUCCESS', by: 'engine' })).toBe(1);
    expect(sampleValue(samples, 'idgraph_sessions_decided_total', { status: 'FAILED', by: 'engine' })).toBe(1);
    expect(sampleValue(samples, 'idgraph_sessions_decided_total', { status: 'SUCCESS', by: 'review' })).toBe(1);
    expect(sampleValue(samples, 'idgraph_sessions_decided_total', { status: 'IN_PROGRESS' })).toBeUndefined();
  });

  it('records the stage timings the box reports and reads the queue depth from its pool', async () => {
    const metrics = new Metrics();
    const timings = { decode: 4, detect: 20, landmarks: 2, embed: 8, liveness: 6, attributes: 3, total: 50 };
    const box = metrics.instrumentInference({
      analyzeFaces: async () => ({ faces: [], width: 10, height: 10, timings }),
      stats: () => ({ workers: 2, busyWorkers: 1, queued: 7, completed: 0, failed: 0, batches: 0, rejectedBusy: 0, timedOut: 0, workerRestarts: 0 }),
    } as unknown as Inference);
    await box.analyzeFaces(new Uint8Array(1));
    const { samples } = parseExposition(await metrics.registry.metrics());
    expect(sampleValue(samples, 'idgraph_inference_stage_duration_seconds_sum', { task: 'faces', stage: 'detect' })).toBeCloseTo(0.02);
    expect(sampleValue(samples, 'idgraph_inference_stage_duration_seconds_count', { task: 'faces', stage: 'total' })).toBe(1);
    expect(sampleValue(samples, 'idgraph_inference_queue_depth', {})).toBe(7);
    expect(sampleValue(samples, 'idgraph_inference_busy_workers', {})).toBe(1);
  });

  it('counts retention runs and what they removed', async () => {
    const metrics = new Metrics();
    metrics.observeRetentionRun({ sessionsErased: 4, imagesDeleted: 3, sessionsExpired: 2, sessionsIdled: 0 });
    metrics.observeRetentionRun('skipped');
    const { samples } = parseExposition(await metrics.registry.metrics());
    expect(sampleValue(samples, 'idgraph_retention_runs_total', { outcome: 'ran' })).toBe(1);
    expect(sampleValue(samples, 'idgraph_retention_runs_total', { outcome: 'skipped' })).toBe(1);
    expect(sampleValue(samples, 'idgraph_retention_items_total', { action: 'image_deleted' })).toBe(3);
    expect(sampleValue(samples, 'idgraph_retention_items_total', { action: 'session_erased' })).toBe(4);
  });
});
