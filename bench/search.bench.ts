// `npm run bench:search [-- --full] [-- --driver postgresql|pglite] [-- --queries N] [-- --write]`: tenant-scoped
// face search on synthetic identities (bench/synthetic-faces.ts). For each driver and two tenant layouts (10 equal
// tenants; one tenant holding 90 % of the faces) it loads the faces, builds the HNSW index, and measures every
// search tuning through the same API the engine uses (`searchSimilarFaces` on `db.forTenant`): p50/p99 latency of
// the top-10, planted recall (share of the probed person's stored faces in the top-10) and recall@10 against exact
// search, computed here in plain JS over the very vectors stored. PostgreSQL 100k by default, 1M with `--full`;
// PGlite 100k. `--write` appends the tables to docs/BENCHMARKS.md.
import { readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Database, type DatabaseDriver } from '../domain/database/database.js';
import { FACE_EMBEDDING_DIMENSIONS } from '../domain/database/embedding.js';
import { InProcessBus } from '../domain/events/in-process.bus.js';
import {
  explainFaceSearch,
  searchSimilarFaces,
  TENANT_FACE_INDEX_THRESHOLD,
  tenantFaceIndexSql,
  tenantsNeedingFaceIndex,
  type FaceSearchTuning,
} from '../domain/faces/face-search.repository.js';
import { TenantService } from '../domain/tenants/tenant.service.js';
import { TokenService } from '../domain/tokens/token.service.js';
import { plantFaces, samplePerson, seededRandom, type PlantedPopulation } from './synthetic-faces.js';
import { throwawayDatabase } from './bench-database.js';

const DIMS = FACE_EMBEDDING_DIMENSIONS;
const TOP = 10;
const SAMPLES = 5;

/** A search setting measured in every layout. */
interface Tuning {
  label: string;
  tuning: FaceSearchTuning;
}

const TUNINGS: Tuning[] = [
  { label: 'exact scan of the tenant', tuning: { exact: true } },
  { label: 'pgvector defaults: ef 40, no iterative scan', tuning: { efSearch: 40, iterativeScan: 'off' } },
  { label: 'iterative relaxed, ef 40', tuning: { efSearch: 40, iterativeScan: 'relaxed_order' } },
  { label: 'iterative relaxed, ef 100', tuning: { efSearch: 100, iterativeScan: 'relaxed_order' } },
  { label: 'iterative strict, ef 100', tuning: { efSearch: 100, iterativeScan: 'strict_order' } },
  { label: 'iterative relaxed, ef 200 (default)', tuning: {} },
  { label: 'iterative relaxed, ef 400', tuning: { efSearch: 400, iterativeScan: 'relaxed_order' } },
];

interface Row {
  driver: DatabaseDriver;
  faces: number;
  layout: string;
  probed: string;
  tuning: string;
  load: number;
  queries: number;
  p50: number;
  p99: number;
  planted: number;
  recall: number;
  plan: string;
}

interface Build {
  driver: DatabaseDriver;
  faces: number;
  layout: string;
  loadSeconds: number;
  indexSeconds: number;
  /** Per-tenant graphs, built after the global one. */
  tenantIndexSeconds?: number;
  index: string;
}

/** Alternative index layouts, to compare against the migration's single global index. */
interface IndexOptions {
  /** HNSW parameters of the global index, e.g. `m = 32, ef_construction = 128`. */
  hnsw?: string;
  /** One partial HNSW index per tenant (`… where tenant_id = '…'`), what list partitioning by tenant would give. */
  perTenant?: boolean;
  /** Only the migration's global index: the baseline. */
  globalOnly?: boolean;
  /** Keep the global index beside the per-tenant ones. */
  keepGlobal?: boolean;
  /** Indexes into TUNINGS to measure (all by default). */
  tunings?: number[];
  explain: boolean;
}

/**
 * The chosen design (docs/FACE_SEARCH.md): the maintenance job gives every tenant past the threshold its own graph,
 * beside the global index of the migration. Timed apart from the global build.
 */
async function buildTenantIndexes(db: Database, driver: DatabaseDriver, build: Build, memory: string, log: (m: string) => void): Promise<void> {
  const started = performance.now();
  const owner = db.orm.em.fork();
  const due = await tenantsNeedingFaceIndex(owner);
  for (const { tenantId } of due) {
    await owner.transactional(async (tx) => {
      await tx.execute(`select set_config('maintenance_work_mem', ?, true)`, [memory]);
      await tx.execute(tenantFaceIndexSql(tenantId));
    });
  }
  await owner.getConnection().execute('analyze face');
  build.tenantIndexSeconds = (performance.now() - started) / 1000;
  build.index = `global m 16 / ef_construction 64 + own graph for ${due.length} tenants ≥ ${TENANT_FACE_INDEX_THRESHOLD} faces`;
  log(`${due.length} tenant indexes built in ${build.tenantIndexSeconds.toFixed(1)} s (${driver})`);
}

async function rebuildIndexes(db: Database, tenantIds: string[], options: IndexOptions, build: Build, memory: string): Promise<void> {
  const params = options.hnsw ?? 'm = 16, ef_construction = 64';
  const started = performance.now();
  await db.orm.em.fork().transactional(async (tx) => {
    await tx.execute(`select set_config('maintenance_work_mem', ?, true)`, [memory]);
    if (options.perTenant) {
      for (const [i, tenantId] of tenantIds.entries()) {
        await tx.execute(`create index face_embedding_hnsw_t${i} on face using hnsw (embedding vector_cosine_ops) with (${params}) where tenant_id = '${tenantId}'`);
      }
    }
    if (options.perTenant && !options.keepGlobal) await tx.execute('drop index face_embedding_hnsw');
    if (!options.perTenant && options.hnsw) {
      await tx.execute('drop index face_embedding_hnsw');
      await tx.execute(`create index face_embedding_hnsw on face using hnsw (embedding vector_cosine_ops) with (${params})`);
    }
  });
  await db.orm.em.fork().getConnection().execute('analyze face');
  build.indexSeconds = (performance.now() - started) / 1000;
  build.index = `${options.perTenant ? `per tenant${options.keepGlobal ? ' + global' : ''}` : 'global'} ${params.replace(/ = /g, ' ')}`;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Every stored vector, by face index, as the database parsed it (six decimals), for the exact reference in JS. */
class VectorStore {
  readonly data: Float32Array;
  constructor(readonly count: number) {
    this.data = new Float32Array(count * DIMS);
  }
  /** Exact top-k face indexes of [from, to) by cosine (all vectors are unit). */
  topK(probe: Float32Array, from: number, to: number, k: number): number[] {
    const best: Array<[number, number]> = [];
    let worst = -Infinity;
    for (let f = from; f < to; f++) {
      let dot = 0;
      const base = f * DIMS;
      for (let i = 0; i < DIMS; i++) dot += probe[i]! * this.data[base + i]!;
      if (best.length < k || dot > worst) {
        best.push([dot, f]);
        best.sort((a, b) => b[0] - a[0]);
        if (best.length > k) best.pop();
        worst = best[best.length - 1]![0];
      }
    }
    return best.map(([, f]) => f);
  }
}

async function openDatabase(driver: DatabaseDriver, adminUrl: string): Promise<{ db: Database; dispose(): Promise<void> }> {
  if (driver === 'pglite') {
    const db = await Database.connect({ dataDir: 'memory://' });
    await db.migrate();
    return { db, dispose: () => db.close() };
  }
  return throwawayDatabase(adminUrl);
}

async function runLayout(
  driver: DatabaseDriver,
  adminUrl: string,
  faces: number,
  layout: 'equal' | 'skewed',
  queries: number,
  options: IndexOptions,
): Promise<{ rows: Row[]; build: Build }> {
  const persons = Math.floor(faces / SAMPLES);
  // 10 equal tenants; or one holding 90 % and nine sharing the rest.
  const shares = layout === 'equal' ? Array<number>(10).fill(0.1) : [0.9, ...Array<number>(9).fill(0.1 / 9)];
  const counts = shares.map((s) => Math.floor(s * persons));
  const { db, dispose } = await openDatabase(driver, adminUrl);
  try {
    const service = new TenantService(db, new TokenService(db, new InProcessBus()));
    const tenantIds: string[] = [];
    for (let i = 0; i < shares.length; i++) {
      const { tenant } = await service.create({ name: `bench ${i}`, slug: `bench-${layout}-${i}`, ownerEmail: `owner${i}@bench.test`, ownerPassword: 'correct horse battery staple' });
      tenantIds.push(tenant.id);
    }
    const started = Date.now();
    const log = (m: string) => console.log(`  [${driver} ${layout} ${((Date.now() - started) / 1000).toFixed(0)} s] ${m}`);
    const population = await plantFaces(db, {
      tenants: tenantIds.map((tenantId, i) => ({ tenantId, persons: counts[i]! })),
      samplesPerPerson: SAMPLES,
      // Sessions only carry the faces here; one per face would be 1M extra rows for nothing measured.
      sessionsPerTenant: 500,
      seed: 7,
      // The whole graph in memory (≈ 3 kB a face) builds several times faster than a spilling build.
      maintenanceWorkMem: driver === 'pglite' ? '1GB' : faces > 200_000 ? '6GB' : '1GB',
      log,
    });
    const total = population.faces.length;
    const build: Build = { driver, faces: total, layout, loadSeconds: population.loadSeconds, indexSeconds: population.indexSeconds, index: 'global m 16 / ef_construction 64' };
    if (options.hnsw || options.perTenant) await rebuildIndexes(db, tenantIds, options, build, driver === 'pglite' ? '1GB' : faces > 200_000 ? '6GB' : '1GB');
    else if (!options.globalOnly) await buildTenantIndexes(db, driver, build, faces > 200_000 ? '6GB' : '1GB', log);

    // The vectors as stored, for the exact reference: read back, so rounding is the database's own.
    const store = await readVectors(db, population);
    const ranges = tenantRanges(population, tenantIds);
    const tenantOf = new Map(population.faces.map((f) => [f.id, f.tenantId]));

    const probes = layout === 'equal' ? [{ label: 'any of 10 equal tenants (10 % each)', tenants: tenantIds }] : [
      { label: 'the 90 % tenant', tenants: [tenantIds[0]!] },
      { label: 'the nine 1.1 % tenants', tenants: tenantIds.slice(1) },
    ];
    const rows: Row[] = [];
    for (const probe of probes) {
      const random = seededRandom(1000 + rows.length);
      const candidates = population.persons.map((p, i) => ({ p, i })).filter(({ p }) => probe.tenants.includes(p.tenantId));
      const set = Array.from({ length: queries }, () => {
        const { p, i } = candidates[Math.floor(random() * candidates.length)]!;
        const embedding = Array.from(samplePerson(p, random));
        const range = ranges.get(p.tenantId)!;
        const exact = new Set(store.topK(Float32Array.from(embedding), range[0], range[1], TOP).map((f) => population.faces[f]!.id));
        return { tenantId: p.tenantId, embedding, planted: new Set(population.persons[i]!.faceIds), exact };
      });
      for (const { label, tuning } of options.tunings ? TUNINGS.filter((_, i) => options.tunings!.includes(i)) : TUNINGS) {
        // The exact scan is linear in the tenant: a few queries give its latency, and it is not a candidate.
        const n = tuning.exact ? Math.min(set.length, driver === 'pglite' || total > 200_000 ? 10 : 40) : set.length;
        const ems = new Map(probe.tenants.map((t) => [t, db.forTenant(t)]));
        for (const q of set.slice(0, Math.min(10, n))) await searchSimilarFaces(ems.get(q.tenantId)!, { tenantId: q.tenantId, embedding: q.embedding, limit: TOP }, tuning); // warm-up
        const load = loadavg()[0]!;
        const latencies: number[] = [];
        let planted = 0;
        let recall = 0;
        for (const q of set.slice(0, n)) {
          const t0 = performance.now();
          const hits = await searchSimilarFaces(ems.get(q.tenantId)!, { tenantId: q.tenantId, embedding: q.embedding, limit: TOP }, tuning);
          latencies.push(performance.now() - t0);
          if (hits.some((h) => tenantOf.get(h.faceId) !== q.tenantId)) throw new Error('a hit from another tenant');
          planted += hits.filter((h) => q.planted.has(h.faceId)).length / q.planted.size;
          recall += hits.filter((h) => q.exact.has(h.faceId)).length / q.exact.size;
        }
        latencies.sort((a, b) => a - b);
        const first = set[0]!;
        const plan = await planSummary(db, first.tenantId, first.embedding, tuning, options.explain);
        const row: Row = { driver, faces: total, layout, probed: probe.label, tuning: label, load, queries: n, p50: percentile(latencies, 50), p99: percentile(latencies, 99), planted: planted / n, recall: recall / n, plan };
        rows.push(row);
        console.log(
          `${driver} ${total} ${layout} | ${probe.label} | ${label.padEnd(44)} load ${load.toFixed(2)} n ${n} p50 ${row.p50.toFixed(1)} ms p99 ${row.p99.toFixed(1)} ms planted ${row.planted.toFixed(4)} recall@10 ${row.recall.toFixed(4)} | ${plan}`,
        );
      }
    }
    return { rows, build };
  } finally {
    await dispose();
  }
}

/** Index of the first and one past the last face of each tenant: planted contiguously, tenant by tenant. */
function tenantRanges(population: PlantedPopulation, tenantIds: string[]): Map<string, [number, number]> {
  const ranges = new Map<string, [number, number]>();
  population.faces.forEach((f, i) => {
    const r = ranges.get(f.tenantId);
    if (r) r[1] = i + 1;
    else ranges.set(f.tenantId, [i, i + 1]);
  });
  for (const t of tenantIds) if (!ranges.has(t)) ranges.set(t, [0, 0]);
  return ranges;
}

async function readVectors(db: Database, population: PlantedPopulation): Promise<VectorStore> {
  const store = new VectorStore(population.faces.length);
  const index = new Map(population.faces.map((f, i) => [f.id, i]));
  const conn = db.orm.em.fork().getConnection();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await conn.execute<Array<{ id: string; embedding: string }>>(`select id, embedding::text as embedding from face where id > '${after}' order by id limit 5000`);
    if (rows.length === 0) break;
    for (const r of rows) {
      const i = index.get(r.id);
      if (i === undefined) continue;
      store.data.set(JSON.parse(r.embedding) as number[], i * DIMS);
    }
    after = rows[rows.length - 1]!.id;
  }
  return store;
}

/** The access path of the plan, and how many rows the scan handed over and the filters dropped, in one line. */
async function planSummary(db: Database, tenantId: string, embedding: number[], tuning: FaceSearchTuning, print: boolean): Promise<string> {
  const lines = (await explainFaceSearch(db.forTenant(tenantId), { tenantId, embedding, limit: TOP }, tuning)).map((l) => l.replace(/'\[[^\]]*\]'/g, "'[…]'"));
  if (print) console.log(lines.join('\n'));
  const at = lines.findIndex((l) => /(Index Scan using|Seq Scan on|Bitmap Heap Scan on)/.test(l));
  if (at < 0) return '?';
  const scan = lines[at]!;
  const rows = /rows=(\d+)/.exec(scan)?.[1] ?? '?';
  const removed = lines.slice(at + 1).find((l) => /Rows Removed by Filter/.test(l))?.match(/(\d+)/)?.[1];
  const index = /Index Scan using (\S+)/.exec(scan)?.[1] ?? (/Bitmap Heap Scan/.test(scan) ? `bitmap ${/Bitmap Index Scan on (\S+)/.exec(lines.slice(at).join(' '))?.[1] ?? ''}` : 'seq scan');
  return `${index}: ${rows} rows${removed ? `, ${removed} filtered out` : ''}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      full: { type: 'boolean' },
      driver: { type: 'string' },
      faces: { type: 'string' },
      queries: { type: 'string' },
      layout: { type: 'string' },
      url: { type: 'string' },
      explain: { type: 'boolean' },
      hnsw: { type: 'string' },
      'per-tenant-index': { type: 'boolean' },
      'keep-global': { type: 'boolean' },
      'global-only': { type: 'boolean' },
      tunings: { type: 'string' },
      write: { type: 'boolean' },
    },
  });
  const adminUrl = values.url ?? 'postgres://postgres@127.0.0.1:5432/test';
  const queries = Number(values.queries ?? 200);
  const drivers = (values.driver ? [values.driver] : ['postgresql', 'pglite']) as DatabaseDriver[];
  const layouts = (values.layout ? [values.layout] : ['equal', 'skewed']) as Array<'equal' | 'skewed'>;
  const rows: Row[] = [];
  const builds: Build[] = [];
  const startedAt = new Date();
  for (const driver of drivers) {
    const faces = Number(values.faces ?? (driver === 'postgresql' && values.full ? 1_000_000 : 100_000));
    for (const layout of layouts) {
      const result = await runLayout(driver, adminUrl, faces, layout, queries, {
        explain: values.explain ?? false,
        hnsw: values.hnsw,
        perTenant: values['per-tenant-index'],
        keepGlobal: values['keep-global'],
        globalOnly: values['global-only'],
        tunings: values.tunings?.split(',').map(Number),
      });
      rows.push(...result.rows);
      builds.push(result.build);
      console.log(`${driver} ${layout}: load ${result.build.loadSeconds.toFixed(1)} s, HNSW build ${result.build.indexSeconds.toFixed(1)} s, tenant graphs ${result.build.tenantIndexSeconds?.toFixed(1) ?? '-'} s (${result.build.index})`);
    }
  }
  if (values.write) await writeReport(rows, builds, startedAt, queries);
}

async function writeReport(rows: Row[], builds: Build[], startedAt: Date, queries: number): Promise<void> {
  const pgVersion = builds.some((b) => b.driver === 'postgresql') ? 'PostgreSQL 15 + pgvector 0.8.0' : '';
  const lines = [
    '',
    `### Face search, ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${availableParallelism()} cores (${cpuModel()}), Node ${process.version}; ${[pgVersion, builds.some((b) => b.driver === 'pglite') ? 'PGlite 0.5.8 + pgvector 0.8.1 (WASM)' : ''].filter(Boolean).join(', ')}. ` +
      `Synthetic identities: each person a random unit centre, ${SAMPLES} stored faces \`normalise(centre + noise)\` (same-person cosine 0.6–0.75), probes are fresh samples of stored persons; ` +
      `${queries} probes per row (10–40 for the exact scan), top-${TOP}, end to end through \`searchSimilarFaces\` on \`db.forTenant\` (transaction, role, RLS, settings). ` +
      '"planted" = share of the person\'s stored faces in the top-10; "recall@10" = share of the exact top-10 (computed in JS over the stored vectors). "load" = 1-minute load average as the row started, on a machine shared with other work.',
    '',
    '| driver | faces | layout | indexes | load s | global HNSW build s | tenant HNSW builds s |',
    '| --- | ---: | --- | --- | ---: | ---: | ---: |',
    ...builds.map((b) => `| ${b.driver} | ${b.faces} | ${b.layout} | ${b.index} | ${b.loadSeconds.toFixed(0)} | ${b.indexSeconds.toFixed(0)} | ${b.tenantIndexSeconds?.toFixed(0) ?? '–'} |`),
    '',
    '| driver | faces | probed tenant | search | load | p50 ms | p99 ms | planted | recall@10 | plan |',
    '| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.driver} | ${r.faces} | ${r.probed} | ${r.tuning} | ${r.load.toFixed(2)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.planted.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.plan} |`,
    ),
    '',
  ];
  await appendFile(join(process.cwd(), 'docs', 'BENCHMARKS.md'), lines.join('\n'));
  console.log('appended to docs/BENCHMARKS.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
