import type { EntityManager } from '@mikro-orm/sql';
import { TenantError } from '../tenants/tenant.errors.js';
import { hashPassword } from './password.js';
import { User, type UserRole } from './user.entity.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Normalises and checks an operator's email and password; throws typed errors. */
export function checkCredentials(email: string, password: string): { email: string } {
  const normalised = checkEmail(email);
  checkPassword(password);
  return { email: normalised };
}

/** An operator's email, normalised (trimmed, lower case); INVALID_EMAIL when it is not one. */
export function checkEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  if (!EMAIL.test(normalised) || normalised.length > 320) throw new TenantError('INVALID_EMAIL', 'not an email address');
  return normalised;
}

/** WEAK_PASSWORD under 12 characters (NIST SP 800-63B asks for at least 8; long passphrases are the point). */
export function checkPassword(password: string): void {
  if (password.length < 12) throw new TenantError('WEAK_PASSWORD', 'password: at least 12 characters');
}

/** Operators of a tenant. */
export class UserService {
  /** Adds an operator with an argon2id-hashed password (at least 12 characters). */
  async create(em: EntityManager, input: { tenantId: string; email: string; password: string; role: UserRole }): Promise<User> {
    const { email } = checkCredentials(input.email, input.password);
    const user = em.create(User, { tenant: input.tenantId, email, passwordHash: await hashPassword(input.password), role: input.role });
    await em.flush();
    return user;
  }
}
