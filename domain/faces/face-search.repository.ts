import type { EntityManager } from '@mikro-orm/sql';
import { FACE_EMBEDDING_DIMENSIONS } from '../database/embedding.js';
import { TENANT_FILTER } from '../database/rls.constants.js';

/** One tenant-scoped nearest-neighbour query. */
export interface FaceSearchQuery {
  /** Must be the tenant the entity manager is scoped to ({@link Database.forTenant}). */
  tenantId: string;
  /** The probe, L2-normalised like every stored embedding. */
  embedding: readonly number[];
  /** @default 10 */
  limit?: number;
  /** Cosine similarity a hit must reach (1 = identical, 0 = unrelated). @default 0 (every neighbour) */
  minSimilarity?: number;
  /** Faces of this session are skipped (the session the probe came from). */
  excludeSessionId?: string;
}

/** A stored face near the probe. */
export interface FaceSearchHit {
  faceId: string;
  sessionId: string;
  /** Cosine similarity, 1 − pgvector's cosine distance. */
  similarity: number;
}

/** How hard the index searches; see docs/FACE_SEARCH.md for the measured trade-offs. */
export interface FaceSearchTuning {
  /** HNSW candidate list (`hnsw.ef_search`); 200 keeps planted recall ≥ 0.99 on a 90k-face graph. @default 200 */
  efSearch?: number;
  /** pgvector ≥ 0.8 iterative index scan (`hnsw.iterative_scan`). @default 'relaxed_order' */
  iterativeScan?: 'off' | 'relaxed_order' | 'strict_order';
  /** Upper bound of tuples one iterative scan visits (`hnsw.max_scan_tuples`). @default 20000 */
  maxScanTuples?: number;
  /** Skip the index and compare against every face of the tenant (the reference the tests hold the index to). @default false */
  exact?: boolean;
}

/** Defaults of {@link FaceSearchTuning}. */
export const FACE_SEARCH_DEFAULTS: Required<FaceSearchTuning> = {
  efSearch: 200,
  iterativeScan: 'relaxed_order',
  maxScanTuples: 20_000,
  exact: false,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Faces a tenant holds before it gets an HNSW graph of its own. Below it the planner scans the tenant exactly
 * (≈ 5 ms for 1,100 faces, ≈ 30 ms for 10,000 on the 2-core machine: docs/FACE_SEARCH.md), which is both exact and
 * fast enough; above it the tenant's own graph keeps search sub-linear without losing the planted faces to the
 * tenant filter of a shared graph.
 */
export const TENANT_FACE_INDEX_THRESHOLD = 2_000;

/** Name of a tenant's own HNSW index: `face_embedding_hnsw_` + the tenant uuid without dashes (52 characters). */
export function tenantFaceIndexName(tenantId: string): string {
  if (!UUID.test(tenantId)) throw new TypeError('tenantId must be a uuid');
  return `face_embedding_hnsw_${tenantId.replaceAll('-', '').toLowerCase()}`;
}

/**
 * DDL of a tenant's own HNSW graph: a partial index `where tenant_id = '…'` with the parameters of the global one.
 * The planner uses it for {@link searchSimilarFaces}, whose tenant id is a literal, as it would a partition's index,
 * without partitioning the table (no composite keys, the foreign keys to `face.id` stay). `concurrently` keeps
 * the tenant's inserts flowing during the build; it cannot run inside a transaction.
 */
export function tenantFaceIndexSql(tenantId: string, options: { concurrently?: boolean } = {}): string {
  return `create index ${options.concurrently ? 'concurrently ' : ''}if not exists "${tenantFaceIndexName(tenantId)}" on "face" using hnsw ("embedding" vector_cosine_ops) with (m = 16, ef_construction = 64) where "tenant_id" = '${tenantId.toLowerCase()}'`;
}

/**
 * Tenants that have crossed {@link TENANT_FACE_INDEX_THRESHOLD} without an index of their own, largest first.
 * Reads across tenants, so it needs the system or owner entity manager; the maintenance job that builds the
 * indexes (as the table's owner, since `idgraph_app` and `idgraph_system` cannot run DDL) starts from this list.
 */
export async function tenantsNeedingFaceIndex(em: EntityManager, threshold = TENANT_FACE_INDEX_THRESHOLD): Promise<Array<{ tenantId: string; faces: number }>> {
  const rows = await em.execute<Array<{ tenant_id: string; faces: string | number }>>(
    `select tenant_id, count(*) as faces from face where embedding is not null group by tenant_id having count(*) >= ? order by count(*) desc`,
    [threshold],
  );
  const existing = new Set(
    (await em.execute<Array<{ indexname: string }>>(`select indexname from pg_indexes where tablename = 'face' and indexname like 'face_embedding_hnsw_%'`)).map((r) => r.indexname),
  );
  return rows.filter((r) => !existing.has(tenantFaceIndexName(r.tenant_id))).map((r) => ({ tenantId: r.tenant_id, faces: Number(r.faces) }));
}

/**
 * The faces of one tenant nearest to a probe, by cosine similarity, best first.
 *
 * Runs in its own short transaction on a tenant-scoped entity manager, so `SET LOCAL ROLE idgraph_app` and
 * `app.tenant_id` confine it by row-level security as well as by its own `tenant_id` condition; the index settings
 * are `set_config(…, true)`, transaction-local, so they never leak into a pooled connection.
 */
export async function searchSimilarFaces(em: EntityManager, query: FaceSearchQuery, tuning: FaceSearchTuning = {}): Promise<FaceSearchHit[]> {
  const rows = await runFaceSearch<{ id: string; session_id: string; distance: number | string }>(em, query, tuning, '');
  return rows.map((r) => ({ faceId: r.id, sessionId: r.session_id, similarity: 1 - Number(r.distance) }));
}

/**
 * The plan PostgreSQL runs for {@link searchSimilarFaces} with the same settings (`EXPLAIN ANALYZE`), one line per
 * node: which index the tenant gets, and how many tuples an iterative scan visited.
 */
export async function explainFaceSearch(em: EntityManager, query: FaceSearchQuery, tuning: FaceSearchTuning = {}): Promise<string[]> {
  const rows = await runFaceSearch<Record<string, string>>(em, query, tuning, 'explain (analyze, buffers, costs off) ');
  return rows.map((r) => Object.values(r)[0] ?? '');
}

async function runFaceSearch<T>(em: EntityManager, query: FaceSearchQuery, tuning: FaceSearchTuning, prefix: string): Promise<T[]> {
  const scopedTo = (em.getFilterParams(TENANT_FILTER) as { tenantId?: string } | undefined)?.tenantId;
  if (!scopedTo || scopedTo !== query.tenantId) {
    // Searching faces across tenants is never right: refuse an entity manager that RLS would not confine.
    throw new Error('face search needs the entity manager of the same tenant (Database.forTenant)');
  }
  if (!UUID.test(query.tenantId)) throw new TypeError('tenantId must be a uuid');
  if (query.excludeSessionId !== undefined && !UUID.test(query.excludeSessionId)) throw new TypeError('excludeSessionId must be a uuid');
  if (query.embedding.length !== FACE_EMBEDDING_DIMENSIONS || !query.embedding.every(Number.isFinite)) {
    throw new TypeError(`embedding must be ${FACE_EMBEDDING_DIMENSIONS} finite numbers`);
  }
  const limit = Math.max(1, Math.min(1000, Math.floor(query.limit ?? 10)));
  const settings = { ...FACE_SEARCH_DEFAULTS, ...tuning };
  const probe = `[${query.embedding.join(',')}]`;
  const maxDistance = 1 - (query.minSimilarity ?? 0);

  return em.transactional(async (tx) => {
    if (settings.exact) {
      // No index scan at all: the planner is left with the tenant's rows and a sort, which is exact.
      await tx.execute(`select set_config('enable_indexscan', 'off', true)`);
    } else {
      await tx.execute(`select set_config('hnsw.ef_search', ?, true), set_config('hnsw.iterative_scan', ?, true), set_config('hnsw.max_scan_tuples', ?, true)`, [
        String(settings.efSearch),
        settings.iterativeScan,
        String(settings.maxScanTuples),
      ]);
    }
    // The tenant id is inlined (validated above) rather than bound: the planner then sees the tenant's share of the
    // rows in the column statistics and can choose an exact scan for a small tenant, the index for a large one.
    // The distance threshold is applied outside the LIMIT: inside, an iterative scan would keep walking the graph
    // for rows that cannot pass it (pgvector README, "Iterative index scans").
    return tx.execute<T[]>(
      `${prefix}select id, session_id, distance from (
         select id, session_id, embedding <=> ?::vector as distance
         from face
         where tenant_id = '${query.tenantId}' and embedding is not null${query.excludeSessionId ? ` and session_id <> '${query.excludeSessionId}'` : ''}
         order by embedding <=> ?::vector
         limit ${limit}
       ) as nearest
       where distance <= ?
       order by distance`,
      [probe, probe, maxDistance],
    );
  });
}
