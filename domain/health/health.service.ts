import type { EntityManager } from '@mikro-orm/sql';
import type { Database } from '../database/database.js';

/** Result of a health probe. */
export interface HealthReport {
  status: 'ok' | 'degraded';
  database: string;
  version: string;
}

/** Probes the database with a trivial query; never throws. */
export class HealthService {
  constructor(
    private readonly db: Database,
    private readonly version: string,
  ) {}

  /**
   * `em` is the caller's entity manager when there is one: an authenticated query holds its connection in a
   * transaction (PGlite has only that one), so probing through another entity manager would wait for it forever.
   */
  async check(em: EntityManager = this.db.asSystem()): Promise<HealthReport> {
    let ok = true;
    try {
      await em.execute('select 1');
    } catch {
      ok = false;
    }
    return { status: ok ? 'ok' : 'degraded', database: this.db.driver, version: this.version };
  }
}
