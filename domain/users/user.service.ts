import type { EntityManager } from '@mikro-orm/sql';
import { TenantError } from '../tenants/tenant.errors.js';
import { hashPassword } from './password.js';
import { User, type UserRole } from './user.entity.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Normalises and checks an operator's email and password; throws typed errors. */
export function checkCredentials(email: string, password: string): { email: string } {
  const normalised = email.trim().toLowerCase();
  if (!EMAIL.test(normalised)) throw new TenantError('INVALID_EMAIL', 'not an email address');
  if (password.length < 12) throw new TenantError('WEAK_PASSWORD', 'password: at least 12 characters');
  return { email: normalised };
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
