import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';

/**
 * The 256-bit master key all per-tenant image keys derive from. Production passes `IDGRAPH_MASTER_KEY`; without it,
 * a development key is created once in the data directory (mode 0600) with a loud warning, so the zero-setup start
 * still encrypts, but nobody mistakes that for a production setup.
 */
export async function loadMasterKey(options: { hex?: string; devKeyFile: string; logger: Logger }): Promise<Buffer> {
  if (options.hex) return Buffer.from(options.hex, 'hex');
  try {
    const stored = (await readFile(options.devKeyFile, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/i.test(stored)) {
      options.logger.warn({ file: options.devKeyFile }, 'IDGRAPH_MASTER_KEY is not set: using the development key');
      return Buffer.from(stored, 'hex');
    }
    throw new Error(`${options.devKeyFile} does not hold a 64-hex-character key`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await mkdir(dirname(options.devKeyFile), { recursive: true });
  await writeFile(options.devKeyFile, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  options.logger.warn(
    { file: options.devKeyFile },
    'IDGRAPH_MASTER_KEY is not set: GENERATED A DEVELOPMENT KEY. Images are encrypted with it; set IDGRAPH_MASTER_KEY in production.',
  );
  return key;
}
