import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { closeServices, createServices, type Services } from '../../server/services.js';

/** Runs `fn` with the configured services (database migrated), closing them afterwards. */
export async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const services = await createServices(config, createLogger(config.log.level === 'info' ? 'warn' : config.log.level));
  try {
    return await fn(services);
  } finally {
    await closeServices(services);
  }
}
