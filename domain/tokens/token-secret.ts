import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A freshly minted secret: the full value (shown once), its public prefix and its hash (stored). */
export interface MintedSecret {
  value: string;
  prefix: string;
  hash: string;
}

/**
 * Mints `<kind>_<prefix>_<secret>`: a 12-character public prefix to find the row and 256 random bits.
 * The kind (`idg` partner token, `ida` applicant token, …) makes leaked secrets recognisable by secret scanners.
 */
export function mintSecret(kind: string): MintedSecret {
  const prefix = randomBytes(9).toString('base64url');
  const value = `${kind}_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { value, prefix, hash: hashSecret(value) };
}

/** SHA-256 hex of a secret. */
export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Splits a presented secret into kind and prefix, or null when it does not have the shape. */
export function parseSecret(value: string): { kind: string; prefix: string } | null {
  const match = /^([a-z]{3})_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/.exec(value);
  return match ? { kind: match[1]!, prefix: match[2]! } : null;
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(value: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(value), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
