import type { Config } from './config.js';
import type { Logger } from 'pino';
import { BlobStore } from '../domain/blobs/blob-store.js';
import { loadMasterKey } from '../domain/blobs/master-key.js';
import { Database } from '../domain/database/database.js';
import { HealthService } from '../domain/health/health.service.js';
import { TenantService } from '../domain/tenants/tenant.service.js';
import { TokenService } from '../domain/tokens/token.service.js';
import { IDGRAPH_VERSION } from './version.js';

/** The domain services one idgraph node runs, wired once at start. */
export interface Services {
  db: Database;
  blobs: BlobStore;
  tokens: TokenService;
  tenants: TenantService;
  health: HealthService;
}

/** Connects the database (migrating it), opens the blob store and wires the services. */
export async function createServices(config: Config, logger: Logger): Promise<Services> {
  const db = await Database.connect({ ...config.database, log: (message) => logger.debug({ module: 'orm' }, message) });
  try {
    const applied = await db.migrate();
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    const masterKey = await loadMasterKey({ hex: config.blobs.masterKeyHex, devKeyFile: config.blobs.devKeyFile, logger });
    const tokens = new TokenService(db);
    return {
      db,
      blobs: new BlobStore(config.blobs.dir, masterKey),
      tokens,
      tenants: new TenantService(db, tokens),
      health: new HealthService(db, IDGRAPH_VERSION),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
