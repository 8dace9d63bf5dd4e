import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DomainError } from '../domain-error.js';
import { TenantCipher } from './tenant-cipher.js';

/** Raised when a blob is missing, or fails authentication (tampered, or read with the wrong key). */
export class BlobError extends DomainError<'BLOB_NOT_FOUND' | 'BLOB_CORRUPT'> {}

const MAGIC = Buffer.from('IDGB1');

/**
 * Encrypted image storage on the file system (DESIGN §5): AES-256-GCM with a key per tenant (TenantCipher), so one
 * tenant's key opens nothing of another's. The blob key and the tenant id are authenticated as associated data: a
 * file moved to another key or tenant fails to decrypt.
 *
 * Layout of a file: `IDGB1 | iv (12) | tag (16) | ciphertext`.
 */
export class BlobStore {
  private readonly cipher: TenantCipher;

  constructor(
    private readonly dir: string,
    masterKey: Buffer,
  ) {
    this.cipher = new TenantCipher(masterKey, 'idgraph-blob-v1');
  }

  /** Encrypts and stores `data`; returns the new blob's key. */
  async put(tenantId: string, data: Buffer): Promise<string> {
    const key = `${tenantId}/${randomUUID()}`;
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, Buffer.concat([MAGIC, this.cipher.seal(tenantId, data, Buffer.from(key))]), { mode: 0o600 });
    return key;
  }

  /** Reads and decrypts a blob of the tenant. */
  async get(tenantId: string, key: string): Promise<Buffer> {
    this.assertOwned(tenantId, key);
    let file: Buffer;
    try {
      file = await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobError('BLOB_NOT_FOUND', `no blob ${key}`);
      throw error;
    }
    if (!file.subarray(0, MAGIC.length).equals(MAGIC)) throw new BlobError('BLOB_CORRUPT', `blob ${key} is not an idgraph blob`);
    const data = this.cipher.open(tenantId, file.subarray(MAGIC.length), Buffer.from(key));
    if (!data) throw new BlobError('BLOB_CORRUPT', `blob ${key} failed authentication`);
    return data;
  }

  /** Deletes a blob (retention); deleting a missing blob is not an error. */
  async delete(tenantId: string, key: string): Promise<void> {
    this.assertOwned(tenantId, key);
    await rm(this.pathOf(key), { force: true });
  }

  private assertOwned(tenantId: string, key: string): void {
    // Keys are `<tenant uuid>/<uuid>`: anything else (another tenant's key, `..`) is refused before touching disk.
    if (!/^[0-9a-f-]{36}\/[0-9a-f-]{36}$/.test(key) || !key.startsWith(`${tenantId}/`)) {
      throw new BlobError('BLOB_NOT_FOUND', `no blob ${key} for this tenant`);
    }
  }

  private pathOf(key: string): string {
    return join(this.dir, key);
  }
}
