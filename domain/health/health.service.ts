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

  async check(): Promise<HealthReport> {
    let ok = true;
    try {
      await this.db.asSystem().execute('select 1');
    } catch {
      ok = false;
    }
    return { status: ok ? 'ok' : 'degraded', database: this.db.driver, version: this.version };
  }
}
