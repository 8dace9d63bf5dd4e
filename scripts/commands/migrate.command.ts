import { loadConfig } from '../../server/config.js';
import { Database } from '../../domain/database/database.js';
import type { CliCommand } from './command.js';

/** `idgraph migrate`: applies pending migrations to the configured database. */
const migrate: CliCommand = {
  name: 'migrate',
  summary: 'apply pending database migrations',
  async run() {
    const db = await Database.connect(loadConfig().database);
    try {
      const applied = await db.migrate();
      console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      return 0;
    } finally {
      await db.close();
    }
  },
};

export default migrate;
