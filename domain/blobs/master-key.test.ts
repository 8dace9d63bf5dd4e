import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMasterKey } from './master-key.js';

/** A logger whose warnings the test can read. */
function recordingLogger() {
  const messages: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void messages.push(JSON.parse(line).msg as string) });
  return { logger, messages };
}

describe('master key', () => {
  let dataDir: string;
  let devKeyFile: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'idgraph-key-'));
    // A data directory that does not exist yet, as on a fresh clone.
    devKeyFile = join(dataDir, 'data', 'dev-master.key');
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('without IDGRAPH_MASTER_KEY, generates a development key into the data directory, private, with a loud warning', async () => {
    const { logger, messages } = recordingLogger();
    const key = await loadMasterKey({ devKeyFile, logger });
    expect(key).toHaveLength(32);
    expect(await readFile(devKeyFile, 'utf8')).toBe(`${key.toString('hex')}\n`);
    expect((await stat(devKeyFile)).mode & 0o777).toBe(0o600);
    expect(messages).toEqual([expect.stringContaining('GENERATED A DEVELOPMENT KEY')]);
    expect(messages[0]).toContain('IDGRAPH_MASTER_KEY');
  });

  it('reuses that key on the next start (images stay readable) and warns again', async () => {
    const first = await loadMasterKey({ devKeyFile, logger: recordingLogger().logger });
    const { logger, messages } = recordingLogger();
    expect((await loadMasterKey({ devKeyFile, logger })).equals(first)).toBe(true);
    expect(messages).toEqual([expect.stringContaining('IDGRAPH_MASTER_KEY is not set: using the development key')]);
  });

  it('nodes starting together on one data directory all get the one key written', async () => {
    const { logger, messages } = recordingLogger();
    const keys = await Promise.all([0, 1, 2, 3].map(() => loadMasterKey({ devKeyFile, logger })));
    const written = Buffer.from((await readFile(devKeyFile, 'utf8')).trim(), 'hex');
    expect(keys.every((k) => k.equals(written))).toBe(true);
    expect(messages.filter((m) => m.includes('GENERATED'))).toHaveLength(1);
    expect(await readdir(join(dataDir, 'data'))).toEqual(['dev-master.key']);
  });

  it('uses IDGRAPH_MASTER_KEY when given and writes nothing', async () => {
    const { logger, messages } = recordingLogger();
    const hex = '0f'.repeat(32);
    expect((await loadMasterKey({ hex, devKeyFile, logger })).toString('hex')).toBe(hex);
    await expect(stat(devKeyFile)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(messages).toEqual([]);
  });

  it('refuses a key file that holds something else, naming it, and leaves it alone', async () => {
    const bad = join(dataDir, 'dev-master.key');
    await writeFile(bad, 'not a key\n');
    await expect(loadMasterKey({ devKeyFile: bad, logger: recordingLogger().logger })).rejects.toThrow(`${bad} does not hold a 64-hex-character key`);
    expect(await readFile(bad, 'utf8')).toBe('not a key\n');
  });
});
