import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DomainError } from '../domain-error.js';

/** Raised when a blob is missing, or fails authentication (tampered, or read with the wrong key). */
export class BlobError extends DomainError<'BLOB_NOT_FOUND' | 'BLOB_CORRUPT'> {}

const MAGIC = Buffer.from('IDGB1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypted image storage on the file system (DESIGN §5): AES-256-GCM with a key per tenant, derived from the master
 * key by HKDF-SHA256 (the tenant id as `info`), so one tenant's key opens nothing of another's. The blob key and the
 * tenant id are authenticated as associated data: a file moved to another key or tenant fails to decrypt.
 *
 * Layout of a file: `IDGB1 | iv (12) | tag (16) | ciphertext`.
 */
export class BlobStore {
  private readonly tenantKeys = new Map<string, Buffer>();

  constructor(
    private readonly dir: string,
    private readonly masterKey: Buffer,
  ) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  }

  /** Encrypts and stores `data`; returns the new blob's key. */
  async put(tenantId: string, data: Buffer): Promise<string> {
    const key = `${tenantId}/${randomUUID()}`;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(tenantId), iv);
    cipher.setAAD(Buffer.from(key));
    const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, Buffer.concat([MAGIC, iv, cipher.getAuthTag(), ciphertext]), { mode: 0o600 });
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
    if (file.length < MAGIC.length + IV_BYTES + TAG_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new BlobError('BLOB_CORRUPT', `blob ${key} is not an idgraph blob`);
    }
    const iv = file.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
    const tag = file.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.keyFor(tenantId), iv);
    decipher.setAAD(Buffer.from(key));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(file.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new BlobError('BLOB_CORRUPT', `blob ${key} failed authentication`);
    }
  }

  /** Deletes a blob (retention); deleting a missing blob is not an error. */
  async delete(tenantId: string, key: string): Promise<void> {
    this.assertOwned(tenantId, key);
    await rm(this.pathOf(key), { force: true });
  }

  private keyFor(tenantId: string): Buffer {
    let key = this.tenantKeys.get(tenantId);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.masterKey, Buffer.from('idgraph-blob-v1'), Buffer.from(tenantId), 32));
      this.tenantKeys.set(tenantId, key);
    }
    return key;
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
