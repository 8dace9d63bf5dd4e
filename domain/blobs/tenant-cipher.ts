import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encryption at rest with a key per tenant and per purpose (DESIGN §5): AES-256-GCM under a key derived from the
 * master key by HKDF-SHA256, the purpose as salt and the tenant id as `info`, so one tenant's key opens nothing of
 * another's and one use's key (images) nothing of another's (stored idempotent answers). The caller's associated data
 * binds a sealed value to where it belongs: moved elsewhere, it fails to open.
 *
 * Sealed layout: `iv (12) | tag (16) | ciphertext`.
 */
export class TenantCipher {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly masterKey: Buffer,
    /** Domain separation between uses, e.g. `idgraph-blob-v1`. */
    private readonly purpose: string,
  ) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  }

  /**
   * Encrypts `plaintext` under the tenant's key as `iv ‖ tag ‖ ciphertext`. Each call draws a fresh random 96-bit IV:
   * GCM loses both secrecy and integrity if an IV repeats under one key (NIST SP 800-38D §8.2.2). `associatedData` is
   * authenticated, not stored: it binds the result to the place it belongs to (e.g. an idempotency record, its caller
   * and key), so {@link open} refuses it anywhere else.
   */
  seal(tenantId: string, plaintext: Buffer, associatedData: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(tenantId), iv);
    cipher.setAAD(associatedData);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  /** The plaintext, or null when `sealed` is truncated, tampered with, or sealed for another tenant or place. */
  open(tenantId: string, sealed: Buffer, associatedData: Buffer): Buffer | null {
    if (sealed.length < IV_BYTES + TAG_BYTES) return null;
    const decipher = createDecipheriv('aes-256-gcm', this.keyFor(tenantId), sealed.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData);
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      return null;
    }
  }

  private keyFor(tenantId: string): Buffer {
    let key = this.keys.get(tenantId);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.masterKey, Buffer.from(this.purpose), Buffer.from(tenantId), 32));
      this.keys.set(tenantId, key);
    }
    return key;
  }
}
