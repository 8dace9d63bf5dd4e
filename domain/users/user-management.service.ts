import { LockMode, type EntityManager } from '@mikro-orm/sql';
import { SYSTEM_QUERY, type Database } from '../database/database.js';
import { keysetPage, type KeysetCursor, type KeysetPage } from '../database/keyset-page.js';
import type { Row } from '../database/read-rows.js';
import { ActorType } from '../audit/audit-entry.entity.js';
import type { Actor } from '../audit/audit.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { EventBus } from '../events/event-bus.js';
import { Topic } from '../events/event.types.js';
import { mintSecret, parseSecret, secretMatches } from '../tokens/token-secret.js';
import { hashPassword } from './password.js';
import { RefreshToken } from './refresh-token.entity.js';
import { UserLink, UserLinkPurpose } from './user-link.entity.js';
import { User, UserRole } from './user.entity.js';
import { UserError } from './user.errors.js';
import { checkEmail, checkPassword } from './user.service.js';

/** An invitation is good for 3 days; a reset link for one hour (OWASP Forgot Password Cheat Sheet: short-lived). */
export const LINK_TTL_MS: Readonly<Record<UserLinkPurpose, number>> = {
  [UserLinkPurpose.INVITE]: 3 * 24 * 3_600_000,
  [UserLinkPurpose.RESET]: 3_600_000,
};

/**
 * Who manages: an OWNER operator may do anything; an ADMIN operator and a partner token holding `users:manage` act as
 * administrators, who may not invite, promote, demote, disable or reset an OWNER (otherwise an admin could make
 * themselves owner, or lock the owners out). The CLI (idgraph itself) acts as an owner.
 */
export interface Manager {
  actor: Actor;
  isOwner: boolean;
}

/** A one-time set-password link: the secret is shown once (to the manager who asked for it) and stored hashed. */
export interface PasswordLink {
  token: string;
  /** The console path that sets the password; the token is in the fragment, so it reaches no server log or Referer. */
  path: string;
  expiresAt: Date;
}

const NOT_FOUND = () => new UserError('USER_NOT_FOUND', 'no such user');
const OWNER_ONLY = () => new UserError('OWNER_ONLY', 'only an owner may manage owners');

/**
 * Operators of a tenant: invitations, roles, disabling and password resets. Every change is audited; a tenant is
 * never left without an active OWNER (the active owners are locked while one is demoted or disabled, so two
 * concurrent demotions cannot both pass); disabling ends the operator's sign-ins at once on every node.
 */
export class UserManagementService {
  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    private readonly audit = new AuditService(),
  ) {}

  /** Operators, newest first, keyset paged. */
  list(em: EntityManager, page: { first: number; after?: KeysetCursor }): Promise<KeysetPage<Row<User>>> {
    return keysetPage(em, User, { where: {}, sortField: 'createdAt', ...page });
  }

  /** The tenant's operator with this email; USER_NOT_FOUND otherwise. */
  async findByEmail(em: EntityManager, email: string): Promise<User> {
    const user = await em.findOne(User, { email: checkEmail(email) });
    if (!user) throw NOT_FOUND();
    return user;
  }

  /** Adds an operator without a password, and a link for them to set one. */
  async invite(em: EntityManager, tenantId: string, by: Manager, input: { email: string; role: UserRole }, now = new Date()): Promise<{ user: User; link: PasswordLink }> {
    const email = checkEmail(input.email);
    if (input.role === UserRole.OWNER && !by.isOwner) throw OWNER_ONLY();
    return em.transactional(async (tx) => {
      if (await tx.findOne(User, { email })) throw new UserError('EMAIL_TAKEN', 'an operator with this email exists');
      const user = tx.create(User, { tenant: tenantId, email, passwordHash: null, role: input.role });
      const link = this.mintLink(tx, user, UserLinkPurpose.INVITE, now);
      this.record(tx, tenantId, by, 'user.invited', user, { role: input.role });
      await tx.flush();
      return { user, link };
    });
  }

  /** Changes an operator's role; their sign-ins end, since access tokens carry the role they were issued with. */
  async changeRole(em: EntityManager, tenantId: string, by: Manager, userId: string, role: UserRole, now = new Date()): Promise<User> {
    const { user, families } = await em.transactional(async (tx) => {
      const user = await this.find(tx, userId);
      if ((user.role === UserRole.OWNER || role === UserRole.OWNER) && !by.isOwner) throw OWNER_ONLY();
      if (user.role === role) return { user, families: [] };
      if (user.role === UserRole.OWNER) await this.keepAnOwner(tx, user);
      const from = user.role;
      user.role = role;
      this.record(tx, tenantId, by, 'user.role_changed', user, { from, to: role });
      const families = await this.revokeSignIns(tx, user, now);
      await tx.flush();
      return { user, families };
    });
    await this.publishRevoked(tenantId, families, now);
    return user;
  }

  /** Disables an operator: their refresh tokens are revoked and their live subscriptions closed on every node. */
  async disable(em: EntityManager, tenantId: string, by: Manager, userId: string, now = new Date()): Promise<User> {
    const { user, families } = await em.transactional(async (tx) => {
      const user = await this.find(tx, userId);
      if (user.role === UserRole.OWNER && !by.isOwner) throw OWNER_ONLY();
      if (user.disabledAt) return { user, families: [] };
      if (user.role === UserRole.OWNER) await this.keepAnOwner(tx, user);
      user.disabledAt = now;
      this.record(tx, tenantId, by, 'user.disabled', user);
      const families = await this.revokeSignIns(tx, user, now);
      await tx.flush();
      return { user, families };
    });
    await this.publishRevoked(tenantId, families, now);
    return user;
  }

  async enable(em: EntityManager, tenantId: string, by: Manager, userId: string): Promise<User> {
    return em.transactional(async (tx) => {
      const user = await this.find(tx, userId);
      if (user.role === UserRole.OWNER && !by.isOwner) throw OWNER_ONLY();
      if (!user.disabledAt) return user;
      user.disabledAt = null;
      this.record(tx, tenantId, by, 'user.enabled', user);
      await tx.flush();
      return user;
    });
  }

  /** A new one-time link to set the operator's password; the current password works until the link is used. */
  async resetPassword(em: EntityManager, tenantId: string, by: Manager, userId: string, now = new Date()): Promise<{ user: User; link: PasswordLink }> {
    return em.transactional(async (tx) => {
      const user = await this.find(tx, userId);
      if (user.role === UserRole.OWNER && !by.isOwner) throw OWNER_ONLY();
      const link = this.mintLink(tx, user, UserLinkPurpose.RESET, now);
      this.record(tx, tenantId, by, 'user.password_reset_requested', user);
      await tx.flush();
      return { user, link };
    });
  }

  /**
   * Sets a password through a link (accepting an invitation, or a reset): the link is spent, every other unused link
   * of the user too, and every sign-in of the user ends (whoever knew the old password is out).
   */
  async setPassword(token: string, password: string, now = new Date()): Promise<User> {
    const parsed = parseSecret(token);
    const invalid = () => new UserError('PASSWORD_LINK_INVALID', 'not a valid password link');
    if (!parsed || parsed.kind !== 'idp') throw invalid();
    const found = await this.db.asSystem().findOne(UserLink, { prefix: parsed.prefix }, SYSTEM_QUERY);
    if (!found || !secretMatches(token, found.secretHash)) throw invalid();
    const tenantId = found.tenant.id;
    checkPassword(password);
    const passwordHash = await hashPassword(password);
    const em = this.db.forTenant(tenantId);
    const { user, families } = await em.transactional(async (tx) => {
      // Locked: the same link used twice at once sets one password, not two.
      const link = await tx.findOneOrFail(UserLink, found.id, { populate: ['user'], lockMode: LockMode.PESSIMISTIC_WRITE });
      if (link.usedAt) throw new UserError('PASSWORD_LINK_USED', 'this link was used already');
      if (link.expiresAt <= now) throw new UserError('PASSWORD_LINK_EXPIRED', 'this link has expired');
      const user = link.user.getEntity();
      await tx.nativeUpdate(UserLink, { user: user.id, usedAt: null }, { usedAt: now });
      user.passwordHash = passwordHash;
      const action = link.purpose === UserLinkPurpose.INVITE ? 'user.invite_accepted' : 'user.password_reset';
      this.record(tx, tenantId, { actor: { type: ActorType.USER, id: user.id }, isOwner: false }, action, user);
      const families = await this.revokeSignIns(tx, user, now);
      await tx.flush();
      return { user, families };
    });
    await this.publishRevoked(tenantId, families, now);
    return user;
  }

  private async find(tx: EntityManager, userId: string): Promise<User> {
    const user = await tx.findOne(User, userId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!user) throw NOT_FOUND();
    return user;
  }

  /** Refuses to take `user`, an active OWNER, away from the owners when no other active OWNER would be left. */
  private async keepAnOwner(tx: EntityManager, user: User): Promise<void> {
    if (user.disabledAt) return;
    const owners = await tx.find(User, { role: UserRole.OWNER, disabledAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!owners.some((o) => o.id !== user.id && o.passwordHash !== null)) {
      throw new UserError('LAST_OWNER', 'the tenant would be left without an active owner');
    }
  }

  /** Revokes every refresh token of the user, in the transaction; returns the sign-ins (families) it ended. */
  private async revokeSignIns(tx: EntityManager, user: User, now: Date): Promise<string[]> {
    const live = await tx.find(RefreshToken, { user: user.id, revokedAt: null }, { fields: ['family'] });
    await tx.nativeUpdate(RefreshToken, { user: user.id, revokedAt: null }, { revokedAt: now });
    return [...new Set(live.map((t) => t.family))];
  }

  /** After the commit: every node closes the subscriptions opened with access tokens of these sign-ins. */
  private async publishRevoked(tenantId: string, families: readonly string[], now: Date): Promise<void> {
    for (const family of families) await this.events.publish({ topic: Topic.TOKEN_REVOKED, tenantId, tokenId: family, at: now.toISOString() });
  }

  private mintLink(tx: EntityManager, user: User, purpose: UserLinkPurpose, now: Date): PasswordLink {
    const minted = mintSecret('idp');
    const expiresAt = new Date(now.getTime() + LINK_TTL_MS[purpose]);
    tx.create(UserLink, { tenant: user.tenant.id, user, purpose, prefix: minted.prefix, secretHash: minted.hash, expiresAt });
    return { token: minted.value, path: `/console/set-password#token=${minted.value}`, expiresAt };
  }

  private record(tx: EntityManager, tenantId: string, by: Manager, action: string, user: User, details?: Record<string, unknown>): void {
    this.audit.record(tx, { tenantId, actor: by.actor, action, objectType: 'User', objectId: user.id, details: { email: user.email, ...details } });
  }
}
