// `npm run bench:api [-- --write] [-- --database-url postgres://…]`: the GraphQL API under load, on a real node.
//  1. A page of 100 sessions with nested relations (scenario, steps, captures, faces, warnings): latency over HTTP,
//     on embedded PGlite and, with --database-url, on PostgreSQL. Target (issue 6): p50 ≤ 20 ms.
//  2. Subscription fan-out: 1,000 graphql-ws subscribers of one tenant's live log; the time from a session's
//     creation (the event's timestamp) to its arrival at each subscriber. Target: p99 ≤ 100 ms.
// `--write` appends the figures with the machine and date to docs/BENCHMARKS.md.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import { pino } from 'pino';
import sharp from 'sharp';
import WebSocket from 'ws';
import { StepKind } from '../domain/scenarios/scenario-step.entity.js';
import { startIdgraph, type RunningIdgraph } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { appendToBenchmarks, machineLine, percentile } from './bench-report.js';
import { cropSelfie, readDemoPhoto } from './faces-fixtures.js';

const PAGE = `{ sessions(first: 100) { totalCount edges { node {
  id status scenarioVersion warnings { code } scenario { id name }
  steps { kind status warnings { code } captures { id width warnings { code } } }
  faces { id size livenessScore } } } } }`;

const { values } = parseArgs({ options: { write: { type: 'boolean' }, 'database-url': { type: 'string' }, requests: { type: 'string', default: '200' }, subscribers: { type: 'string', default: '1000' } } });
const requests = Number(values.requests);
const subscribers = Number(values.subscribers);

async function startNode(databaseUrl?: string): Promise<{ node: RunningIdgraph; dispose: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'idgraph-bench-'));
  const config = loadConfig({ IDGRAPH_PORT: '0', IDGRAPH_DATA_DIR: dataDir, IDGRAPH_SEED_DEMO: 'false', IDGRAPH_LOG_LEVEL: 'silent', IDGRAPH_RATE_LIMIT_TOKEN: '1000000', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const node = await startIdgraph(config, pino({ level: 'silent' }));
  return { node, dispose: async () => { await node.dispose(); await rm(dataDir, { recursive: true, force: true }); } };
}

async function seed(node: RunningIdgraph): Promise<{ token: string; tenantId: string; scenarioId: string }> {
  const { tenant, token } = await node.services.tenants.create({ name: 'Bench', slug: `bench-${Date.now()}`, ownerEmail: 'owner@bench.test' });
  const em = node.services.db.forTenant(tenant.id);
  const { scenario } = await node.services.scenarios.create(em, tenant.id, { name: 'selfie', steps: [{ kind: StepKind.SELFIE }] });
  const photo = await readDemoPhoto('sample1.jpg');
  const { faces } = await (await node.services.inference.get()).analyzeFaces(photo);
  const selfie = await cropSelfie(photo, faces[0]!.box);
  for (let i = 0; i < 100; i++) {
    const session = await node.services.sessions.create(node.services.db.forTenant(tenant.id), tenant.id, { scenario: { id: scenario.id } });
    await node.services.captures.addCapture({ tenantId: tenant.id, sessionId: session.id, position: 0, image: await sharp(selfie).jpeg({ quality: 80 + (i % 15) }).toBuffer() });
  }
  return { token: token.secret, tenantId: tenant.id, scenarioId: scenario.id };
}

async function pageLatency(url: string, token: string): Promise<{ p50: number; p95: number; p99: number }> {
  const run = async () => {
    const started = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: PAGE }) });
    const body = (await res.json()) as { errors?: unknown; data?: { sessions: { edges: unknown[] } } };
    if (body.errors || body.data?.sessions.edges.length !== 100) throw new Error(`unexpected answer: ${JSON.stringify(body).slice(0, 300)}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 20; i++) await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < requests; i++) times.push(await run());
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

async function fanOut(node: RunningIdgraph, seeded: { token: string; tenantId: string; scenarioId: string }): Promise<{ p50: number; p99: number; max: number; delivered: number }> {
  const { token, tenantId, scenarioId } = seeded;
  const clients: Client[] = [];
  const delays: number[] = [];
  const events = 10;
  let ready = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  let received = 0;
  let failures = 0;
  let connected = 0;
  for (let i = 0; i < subscribers; i++) {
    // Connect in waves: a thousand simultaneous handshakes overflow the listen backlog of one process.
    if (i % 100 === 0) while (connected + failures < i) await new Promise((r) => setTimeout(r, 20));
    const client = createClient({
      url: node.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
      on: { connected: () => void connected++ },
    });
    clients.push(client);
    let subscribed = false;
    client.subscribe<{ sessionEvents: { at: string; kind: string } }>(
      { query: 'subscription { sessionEvents { kind at } }' },
      {
        next: ({ data }) => {
          if (!subscribed) {
            subscribed = true;
            ready++;
          }
          if (measuring && data) {
            delays.push(Date.now() - Date.parse(data.sessionEvents.at));
            if (++received === subscribers * events) resolveAll();
          }
        },
        error: () => {
          failures++;
        },
        complete: () => undefined,
      },
    );
  }
  let measuring = false;
  const create = () => node.services.sessions.create(node.services.db.forTenant(tenantId), tenantId, { scenario: { id: scenarioId } });
  // Probe sessions until every subscriber has seen one: then all 1,000 subscriptions are live.
  while (ready + failures < subscribers) {
    await create();
    await new Promise((r) => setTimeout(r, 200));
  }
  if (failures) throw new Error(`${failures} subscribers failed to subscribe`);
  measuring = true;
  for (let i = 0; i < events; i++) {
    await create();
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.race([all, new Promise((r) => setTimeout(r, 30_000))]);
  await Promise.all(clients.map((c) => c.dispose()));
  delays.sort((a, b) => a - b);
  return { p50: percentile(delays, 50), p99: percentile(delays, 99), max: delays.at(-1) ?? NaN, delivered: delays.length };
}

const lines = [`## GraphQL API (issue 6), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`, '', `Machine: ${machineLine()}. \`npm run bench:api\`, ${requests} requests per row after 20 warm-up requests, one client.`, '', '| measurement | database | p50 ms | p95 ms | p99 ms | target |', '| --- | --- | ---: | ---: | ---: | --- |'];
const targets: [string, string | undefined][] = [['pglite', undefined]];
if (values['database-url']) targets.push(['postgresql', values['database-url']]);
for (const [label, url] of targets) {
  const { node, dispose } = await startNode(url);
  try {
    const seeded = await seed(node);
    const page = await pageLatency(node.url, seeded.token);
    lines.push(`| 100-session page, nested relations | ${label} | ${page.p50.toFixed(1)} | ${page.p95.toFixed(1)} | ${page.p99.toFixed(1)} | p50 ≤ 20 ms |`);
    console.log(label, 'page', page);
    if (label === 'pglite') {
      const fan = await fanOut(node, seeded);
      lines.push(`| fan-out to ${subscribers} subscribers (${fan.delivered} deliveries) | in-process bus | ${fan.p50.toFixed(1)} | | ${fan.p99.toFixed(1)} | p99 ≤ 100 ms |`);
      console.log('fan-out', fan);
    }
  } finally {
    await dispose();
  }
}
console.log(lines.join('\n'));
if (values.write) await appendToBenchmarks(lines);
