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
  /** HNSW candidate list (`hnsw.ef_search`). @default 100 */
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
  efSearch: 100,
  iterativeScan: 'relaxed_order',
  maxScanTuples: 20_000,
  exact: false,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
