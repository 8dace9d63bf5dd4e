import { randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';

const HEX_KEY = /^[0-9a-f]{64}$/i;

/**
 * The 256-bit master key all per-tenant image keys derive from. Production passes `IDGRAPH_MASTER_KEY` (the
 * configuration refuses to start without it when `NODE_ENV=production`); without it, a development key is created
 * once in the data directory (mode 0600) with a loud warning, so the zero-setup start still encrypts, but nobody
 * mistakes that for a production setup.
 */
export async function loadMasterKey(options: { hex?: string; devKeyFile: string; logger: Logger }): Promise<Buffer> {
  if (options.hex) return Buffer.from(options.hex, 'hex');
  const stored = await readDevKey(options.devKeyFile);
  if (stored) {
    options.logger.warn({ file: options.devKeyFile }, 'IDGRAPH_MASTER_KEY is not set: using the development key');
    return stored;
  }
  const created = await createDevKey(options.devKeyFile);
  if (!created) return loadMasterKey(options); // another node on this data directory created it first
  options.logger.warn(
    { file: options.devKeyFile },
    'IDGRAPH_MASTER_KEY is not set: GENERATED A DEVELOPMENT KEY. Images are encrypted with it; set IDGRAPH_MASTER_KEY in production.',
  );
  return created;
}

/** The key in `file`, or undefined when there is no such file; a file holding anything else is an error, never replaced. */
async function readDevKey(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!HEX_KEY.test(text)) throw new Error(`${file} does not hold a 64-hex-character key`);
  return Buffer.from(text, 'hex');
}

/**
 * Writes a new key to `file` unless it exists; undefined when it does. The key is written whole to a private temporary
 * file and then hard-linked into place, which fails when the name exists: a node starting at the same moment never
 * reads a half-written key, and never overwrites the key that images are already encrypted with.
 */
async function createDevKey(file: string): Promise<Buffer | undefined> {
  const key = randomBytes(32);
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}
