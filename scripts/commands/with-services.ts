import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { chooseLogFormat } from '../../server/log-format.js';
import { createLogger } from '../../server/logger.js';
import { closeServices, createServices, type Services } from '../../server/services.js';

/** Runs `fn` with the configured services (database migrated), closing them afterwards. */
export async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Logs go to stderr: stdout is the command's result (`--json` output must parse), warnings still reach the terminal.
  const logger = createLogger(
    config.log.level === 'info' ? 'warn' : config.log.level,
    pino.destination({ dest: 2, sync: true }),
    chooseLogFormat(config.log.format, process.stderr.isTTY === true),
  );
  const services = await createServices(config, logger);
  try {
    return await fn(services);
  } finally {
    await closeServices(services);
  }
}
