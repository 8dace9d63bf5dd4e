import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { TenantCipher } from '../blobs/tenant-cipher.js';

/** Random bytes of a secret: the Standard Webhooks spec asks for 24 to 64. */
const SECRET_BYTES = 32;

/** A fresh signing secret, `whsec_<base64>` (Standard Webhooks). */
export function mintWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The bytes a `whsec_` secret stands for. */
export function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/**
 * A scenario's callback (reference 001) signs with the scenario's own `callbackSecret` (64 hex characters, 32
 * bytes), spelt as a Standard Webhooks secret.
 */
export function scenarioCallbackSecret(callbackSecretHex: string): string {
  return `whsec_${Buffer.from(callbackSecretHex, 'hex').toString('base64')}`;
}

/** Seals and opens endpoint secrets at rest: the tenant's webhook key, bound to the endpoint. */
export class WebhookSecrets {
  constructor(private readonly cipher: TenantCipher) {}

  seal(tenantId: string, endpointId: string, secret: string): Buffer {
    return this.cipher.seal(tenantId, Buffer.from(secret), this.boundTo(endpointId));
  }

  open(tenantId: string, endpointId: string, sealed: Uint8Array): string {
    const opened = this.cipher.open(tenantId, Buffer.from(sealed), this.boundTo(endpointId));
    // Tampered with or copied from another endpoint: a fault of storage, not of the caller.
    if (!opened) throw new Error(`webhook endpoint ${endpointId}: the secret does not open`);
    return opened.toString('utf8');
  }

  private boundTo(endpointId: string): Buffer {
    return Buffer.from(`webhook-endpoint:${endpointId}`);
  }
}

/** `info` of the body key's HKDF: a version, so the derivation can change without ambiguity. */
export const BODY_KEY_INFO = 'idgraph-webhook-body-v1';

/**
 * The `encryptBody` envelope: AES-256-GCM under HKDF-SHA256(ikm = the secret's bytes, salt = empty,
 * info = "idgraph-webhook-body-v1", 32 bytes), a fresh 96-bit IV per message, no associated data. The signature is
 * computed over the envelope, so a receiver verifies first and decrypts second (docs/WEBHOOKS.md).
 */
export function encryptBody(secret: string, plaintext: string): { alg: 'A256GCM'; iv: string; ciphertext: string; tag: string } {
  const key = Buffer.from(hkdfSync('sha256', secretBytes(secret), Buffer.alloc(0), Buffer.from(BODY_KEY_INFO), 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { alg: 'A256GCM', iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}
