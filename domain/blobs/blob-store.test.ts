import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from './blob-store.js';

describe('encrypted blob store', () => {
  let dir: string;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  // A recognisable plaintext: a JPEG header followed by text that must never appear on disk.
  const image = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('PASSPORT MUSTERMANN ERIKA '.repeat(50))]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'idgraph-blobs-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('round-trips an image for its tenant', async () => {
    const store = new BlobStore(dir, randomBytes(32));
    const key = await store.put(tenantA, image);
    expect(await store.get(tenantA, key)).toEqual(image);
  });

  it('keeps nothing readable on disk', async () => {
    const store = new BlobStore(dir, randomBytes(32));
    const key = await store.put(tenantA, image);
    const raw = await readFile(join(dir, key));
    expect(raw.includes(Buffer.from('MUSTERMANN'))).toBe(false);
    expect(raw.includes(image.subarray(0, 4))).toBe(false);
    expect(raw.length).toBe(image.length + 5 + 12 + 16);
  });

  it('cannot be read with another master key', async () => {
    const key = await new BlobStore(dir, randomBytes(32)).put(tenantA, image);
    await expect(new BlobStore(dir, randomBytes(32)).get(tenantA, key)).rejects.toMatchObject({ code: 'BLOB_CORRUPT' });
  });

  it('cannot be read as another tenant, even with the file copied under its name', async () => {
    const master = randomBytes(32);
    const store = new BlobStore(dir, master);
    const key = await store.put(tenantA, image);
    await expect(store.get(tenantB, key)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
    const stolen = `${tenantB}/${randomUUID()}`;
    await mkdir(join(dir, tenantB), { recursive: true });
    await writeFile(join(dir, stolen), await readFile(join(dir, key)));
    await expect(store.get(tenantB, stolen)).rejects.toMatchObject({ code: 'BLOB_CORRUPT' });
  });

  it('detects tampering', async () => {
    const store = new BlobStore(dir, randomBytes(32));
    const key = await store.put(tenantA, image);
    const raw = await readFile(join(dir, key));
    raw[raw.length - 1]! ^= 0x01;
    await writeFile(join(dir, key), raw);
    await expect(store.get(tenantA, key)).rejects.toMatchObject({ code: 'BLOB_CORRUPT' });
  });

  it('refuses keys outside the tenant (path traversal)', async () => {
    const store = new BlobStore(dir, randomBytes(32));
    await expect(store.get(tenantA, `${tenantA}/../../etc/passwd`)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
    await expect(store.get(tenantA, `${tenantA}/${randomUUID()}`)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
  });
});
