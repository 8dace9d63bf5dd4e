import { loadConfig } from '../../server/config.js';
import { chooseLogFormat } from '../../server/log-format.js';
import { createLogger } from '../../server/logger.js';
import { startIdgraph } from '../../server/app.js';
import type { CliCommand } from './command.js';

/** `idgraph serve`: runs a node until SIGINT/SIGTERM, then shuts down gracefully. */
const serve: CliCommand = {
  name: 'serve',
  summary: 'serve idgraph (embedded PGlite unless DATABASE_URL is set)',
  async run() {
    const config = loadConfig();
    const logger = createLogger(config.log.level, undefined, chooseLogFormat(config.log.format, process.stdout.isTTY === true));
    const node = await startIdgraph(config, logger);
    if (node.demo) {
      // Printed to the terminal, never to the structured log: these secrets are shown exactly once.
      console.log(
        [
          '',
          'First start: created the demo tenant. Keep these, they are not shown again:',
          `  tenant:         ${node.demo.tenant.slug}`,
          `  owner email:    ${node.demo.owner.email}`,
          `  owner password: ${node.demo.ownerPassword}`,
          `  partner token:  ${node.demo.token.secret}`,
          '',
        ].join('\n'),
      );
    }
    console.log(`idgraph serving GraphQL at ${node.url} (database: ${node.services.db.driver})`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    logger.info('shutting down');
    await node.dispose();
    return 0;
  },
};

export default serve;
