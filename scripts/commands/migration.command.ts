import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Database } from '../../domain/database/database.js';
import type { CliCommand } from './command.js';

/**
 * `idgraph migration:create [--blank] [--name x]`: writes the next migration from the difference between the
 * entities and the schema the existing migrations produce. It runs them on a throw-away in-memory PGlite, so the
 * diff never depends on a developer's local database.
 */
const migrationCreate: CliCommand = {
  name: 'migration:create',
  summary: 'generate the next migration into domain/database/migrations (then add it to index.ts)',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { blank: { type: 'boolean' }, name: { type: 'string' } } });
    const db = await Database.connect({ dataDir: 'memory://' });
    try {
      await db.migrate();
      const path = resolve('domain/database/migrations');
      db.orm.config.get('migrations').path = path;
      const result = await db.orm.migrator.create(path, values.blank ?? false, false, values.name);
      if (!result.fileName) {
        console.log('No changes: the schema already matches the entities.');
        return 0;
      }
      console.log(`Created ${resolve(path, result.fileName)}:\n${result.diff.up.join('\n')}`);
      return 0;
    } finally {
      await db.close();
    }
  },
};

export default migrationCreate;
