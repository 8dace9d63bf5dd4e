// Synthetic identities that behave like face embeddings, and a bulk loader for them. Shared by
// `npm run bench:search` and test/faces/face-search.test.ts.
//
// Why not uniform random vectors: in 512 dimensions every random point is almost equidistant from every other, so
// an index's recall on them (5–19 % for HNSW at m 16) says nothing about faces. Here each person is a random centre
// and each face `normalise(centre + noise)`, with the noise sized so that two faces of one person have cosine
// similarity 0.6–0.75 (what the face model gives for two photos of one person) while strangers stay near 0.
import { randomUUID } from 'node:crypto';
import type { Database } from '../domain/database/database.js';
import { FACE_EMBEDDING_DIMENSIONS } from '../domain/database/embedding.js';
import { ScenarioVersion } from '../domain/scenarios/scenario-version.entity.js';
import { StepKind } from '../domain/scenarios/scenario-step.entity.js';
import { Capture } from '../domain/sessions/capture.entity.js';
import { SessionStep } from '../domain/sessions/session-step.entity.js';
import { Session } from '../domain/sessions/session.entity.js';

// A seeded PRNG (mulberry32): the same seed plants the same population, so runs are comparable.
import { seededRandom } from '../inference/documents/testing/random.js';
export { seededRandom };

function gaussian(random: () => number): number {
  // Box–Muller; 1 - u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** One synthetic person: a unit centre and the noise that sets how alike their photos are. */
export interface SyntheticPerson {
  centre: Float32Array;
  /** Norm of the noise added to the centre: two samples have cosine ≈ 1 / (1 + noise²). */
  noise: number;
}

/**
 * A person whose samples have an expected pairwise cosine drawn from `similarity` (default 0.6–0.75).
 * @default similarity [0.6, 0.75]
 */
export function syntheticPerson(random: () => number, similarity: [number, number] = [0.6, 0.75], dims = FACE_EMBEDDING_DIMENSIONS): SyntheticPerson {
  const centre = normalise(Float32Array.from({ length: dims }, () => gaussian(random)));
  const cosine = similarity[0] + (similarity[1] - similarity[0]) * random();
  return { centre, noise: Math.sqrt(1 / cosine - 1) };
}

/** A fresh photo of the person: `normalise(centre + noise)`, a unit vector like the face model's output. */
export function samplePerson(person: SyntheticPerson, random: () => number): Float32Array {
  const sigma = person.noise / Math.sqrt(person.centre.length);
  return normalise(person.centre.map((c) => c + sigma * gaussian(random)));
}

/** Cosine similarity of two unit vectors. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

/** pgvector's text form. Six decimals keep cosines exact to ~1e-6, shorter than full float text. */
export function vectorLiteral(v: ArrayLike<number>): string {
  let s = '[';
  for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + v[i]!.toFixed(6);
  return s + ']';
}

/** A planted face: which tenant, session and synthetic person it belongs to. */
export interface PlantedFace {
  id: string;
  tenantId: string;
  sessionId: string;
  person: number;
}

/** What {@link plantFaces} stored, with the persons so queries can draw fresh samples of them. */
export interface PlantedPopulation {
  persons: Array<SyntheticPerson & { tenantId: string; faceIds: string[] }>;
  faces: PlantedFace[];
  /** Seconds spent writing faces, and building the vector index after them. */
  loadSeconds: number;
  indexSeconds: number;
}

/** Options of {@link plantFaces}. */
export interface PlantOptions {
  /** Persons per tenant id. */
  tenants: Array<{ tenantId: string; persons: number }>;
  /** @default 5 */
  samplesPerPerson?: number;
  /**
   * Sessions created per tenant; faces are spread over them round-robin by person. `'per-face'` gives each face
   * its own session (what the engine does: one selfie per session), which `excludeSessionId` tests need.
   * @default 'per-face'
   */
  sessionsPerTenant?: number | 'per-face';
  /** @default 1 */
  seed?: number;
  /** Rows per multi-row insert. @default 500 */
  batch?: number;
  /**
   * `maintenance_work_mem` for the index build: HNSW builds fastest when the whole graph fits (about 3 kB a face at
   * 512 dimensions and m 16); PostgreSQL's 64 MB default spills beyond ~20k faces. @default '64MB'
   */
  maintenanceWorkMem?: string;
  /** Progress messages (the 1M load takes minutes). */
  log?: (message: string) => void;
}

/**
 * Stores synthetic faces as the schema owner, fast: multi-row inserts with the vector index dropped, then the index
 * rebuilt from its own definition (read back from `pg_indexes`, so the migrations stay the one source of it).
 * Inserting into a live HNSW index row by row is several times slower than building it once after the load.
 */
export async function plantFaces(db: Database, options: PlantOptions): Promise<PlantedPopulation> {
  const random = seededRandom(options.seed ?? 1);
  const samples = options.samplesPerPerson ?? 5;
  const batch = options.batch ?? 500;
  const log = options.log ?? (() => undefined);
  const owner = db.orm.em.fork().getConnection();

  const population: PlantedPopulation = { persons: [], faces: [], loadSeconds: 0, indexSeconds: 0 };
  const started = performance.now();
  for (const { tenantId, persons } of options.tenants) {
    const sessionCount = options.sessionsPerTenant === 'per-face' || options.sessionsPerTenant === undefined ? persons * samples : options.sessionsPerTenant;
    const sessions = await createSessions(db, tenantId, sessionCount);
    for (let p = 0; p < persons; p++) {
      const person = { ...syntheticPerson(random), tenantId, faceIds: [] as string[] };
      population.persons.push(person);
      for (let s = 0; s < samples; s++) {
        const session = sessions[(p * samples + s) % sessions.length]!;
        const face = { id: randomUUID(), tenantId, sessionId: session.sessionId, person: population.persons.length - 1 };
        person.faceIds.push(face.id);
        population.faces.push(face);
      }
    }
    log(`tenant ${tenantId}: ${persons} persons, ${sessionCount} sessions`);
  }

  const [indexDef] = await owner.execute<{ indexdef: string }[]>(`select indexdef from pg_indexes where indexname = 'face_embedding_hnsw'`);
  if (!indexDef) throw new Error('face_embedding_hnsw is missing: run the migrations first');
  await owner.execute('drop index face_embedding_hnsw');

  const captureOf = new Map<string, string>();
  for (const rows of await owner.execute<{ id: string; session_id: string }[]>('select id, session_id from capture')) {
    captureOf.set(rows.session_id, rows.id);
  }
  const now = new Date().toISOString();
  for (let i = 0; i < population.faces.length; i += batch) {
    const values = population.faces.slice(i, i + batch).map((face) => {
      const embedding = vectorLiteral(samplePerson(population.persons[face.person]!, random));
      return `('${face.id}','${face.tenantId}','${face.sessionId}','${captureOf.get(face.sessionId)}','{"x":0,"y":0,"width":112,"height":112}','[]','${embedding}',0.99,112,'${now}')`;
    });
    await owner.execute(
      `insert into face (id, tenant_id, session_id, capture_id, box, landmarks, embedding, detector_score, size, created_at) values ${values.join(',')}`,
    );
    if ((i / batch) % 200 === 199) log(`${i + batch} faces written`);
  }
  population.loadSeconds = (performance.now() - started) / 1000;
  log(`${population.faces.length} faces written in ${population.loadSeconds.toFixed(1)} s; building the index`);

  const indexStarted = performance.now();
  // One transaction, so the memory setting and the build share a pooled connection.
  await db.orm.em.fork().transactional(async (tx) => {
    await tx.execute(`select set_config('maintenance_work_mem', ?, true)`, [options.maintenanceWorkMem ?? '64MB']);
    await tx.execute(indexDef.indexdef);
  });
  await owner.execute('analyze face');
  population.indexSeconds = (performance.now() - indexStarted) / 1000;
  log(`index built in ${population.indexSeconds.toFixed(1)} s`);
  return population;
}

/** Sessions with one selfie step and one capture each, through the ORM as the tenant, so RLS checks the inserts. */
async function createSessions(db: Database, tenantId: string, count: number): Promise<Array<{ sessionId: string }>> {
  const em = db.forTenant(tenantId);
  const version = await em.findOneOrFail(ScenarioVersion, {}, { orderBy: { createdAt: 'asc' } });
  const created: Array<{ sessionId: string }> = [];
  const frozenAt = new Date(Date.now() + 3_600_000);
  for (let i = 0; i < count; i += 1000) {
    const chunk = db.forTenant(tenantId);
    for (let j = i; j < Math.min(count, i + 1000); j++) {
      const session = chunk.create(Session, { tenant: tenantId, scenario: version.scenario, scenarioVersion: version, frozenAt });
      const step = chunk.create(SessionStep, { tenant: tenantId, session, position: 0, kind: StepKind.SELFIE });
      chunk.create(Capture, { tenant: tenantId, session, step, sha256: '0'.repeat(64), byteSize: 1, image: { format: 'jpeg', width: 640, height: 480 } });
      created.push({ sessionId: session.id });
    }
    await chunk.flush();
  }
  return created;
}
