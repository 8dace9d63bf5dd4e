import type { Database } from '../database/database.js';
import { TENANT_FACE_INDEX_THRESHOLD, tenantFaceIndexName, tenantFaceIndexSql, tenantsNeedingFaceIndex } from './face-search.repository.js';

/**
 * Builds the per-tenant HNSW indexes that keep a large tenant's face search sub-linear and exact enough
 * (docs/FACE_SEARCH.md). Index DDL needs the table owner, which neither application role is, so this runs on the
 * owner's connection; `CREATE INDEX CONCURRENTLY` cannot run inside a transaction and does not block writes.
 * Every node may run it: a second node creating the same index finds it exists (`if not exists`).
 */
export class FaceIndexService {
  constructor(
    private readonly db: Database,
    private readonly threshold = TENANT_FACE_INDEX_THRESHOLD,
  ) {}

  /** Creates the missing indexes, biggest tenant first; returns their names. */
  async ensureTenantIndexes(): Promise<string[]> {
    const owner = this.db.orm.em.fork();
    const created: string[] = [];
    for (const { tenantId } of await tenantsNeedingFaceIndex(owner, this.threshold)) {
      await owner.getConnection().execute(tenantFaceIndexSql(tenantId, { concurrently: this.db.driver === 'postgresql' }));
      created.push(tenantFaceIndexName(tenantId));
    }
    return created;
  }
}
