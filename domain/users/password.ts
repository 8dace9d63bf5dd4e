import { hash, verify } from '@node-rs/argon2';

/** Hashes a password with argon2id (the library's defaults follow OWASP's recommended parameters). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Checks a password against an argon2 PHC string; a malformed hash is a mismatch, not a crash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
