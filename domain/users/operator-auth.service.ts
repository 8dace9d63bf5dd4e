import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/sql';
import { SYSTEM_QUERY, type Database } from '../database/database.js';
import { ActorType } from '../audit/audit-entry.entity.js';
import { AuditService } from '../audit/audit.service.js';
import type { EventBus } from '../events/event-bus.js';
import { Topic } from '../events/event.types.js';
import { Tenant } from '../tenants/tenant.entity.js';
import type { Scope } from '../tokens/scopes.js';
import type { SignedTokens } from '../tokens/signed-token.js';
import { mintSecret, parseSecret, secretMatches } from '../tokens/token-secret.js';
import { type LoginThrottle, type ThrottleSubject, type ThrottledCheck } from './login-throttle.js';
import { OperatorAuthError } from './operator-auth.errors.js';
import { hashPassword, verifyPassword } from './password.js';
import { RefreshToken } from './refresh-token.entity.js';
import { ROLE_SCOPES } from './role-scopes.js';
import { User, UserRole } from './user.entity.js';

/** Access tokens are short-lived and stateless; refresh tokens are stored, single-use and long-lived. */
export const ACCESS_TOKEN_TTL_MS = 15 * 60_000;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3_600_000;

/** An authenticated operator. */
export interface OperatorPrincipal {
  userId: string;
  tenantId: string;
  role: UserRole;
  scopes: readonly Scope[];
  /** The sign-in (refresh token family) the access token belongs to: signing out ends it. */
  family: string;
  expiresAt: Date;
}

/** What signing in or refreshing hands back. */
export interface OperatorSession {
  user: User;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
}

const INVALID = () => new OperatorAuthError('INVALID_CREDENTIALS', 'invalid credentials');

/**
 * Operators sign in with tenant, email and password (argon2id), and get a 15-minute access token (`uat_…`, signed,
 * carrying role and tenant) and a refresh token (`idr_…`, stored hashed). Refresh tokens rotate on every use; a reused
 * one means it leaked, so its whole family is revoked (OAuth 2.0 Security BCP, refresh token rotation).
 */
export class OperatorAuthService {
  /** A real argon2id hash to verify against when the user does not exist: the answer takes as long either way. */
  private readonly decoyHash = hashPassword(randomUUID());

  constructor(
    private readonly db: Database,
    private readonly signed: SignedTokens,
    private readonly events: EventBus,
    private readonly throttle: LoginThrottle,
    private readonly audit = new AuditService(),
  ) {}

  /**
   * Signs in, throttled per account (tenant and email, whether or not it exists, so a lockout tells nothing) and per
   * client address: a locked-out caller gets LOGIN_LOCKED before the password is even checked.
   */
  async login(input: { tenantSlug: string; email: string; password: string }, clientIp: string, now = new Date()): Promise<OperatorSession> {
    const tenantSlug = input.tenantSlug.trim().toLowerCase();
    const email = input.email.trim().toLowerCase();
    const account = { kind: 'account', id: `${tenantSlug}:${email}` } as const;
    const subjects = [account, { kind: 'ip', id: clientIp }] as const;
    await this.throttle.check('login', subjects);
    const tenant = await this.db.asSystem().findOne(Tenant, { slug: tenantSlug }, SYSTEM_QUERY);
    const em = tenant ? this.db.forTenant(tenant.id) : undefined;
    const user = em ? await em.findOne(User, { email }) : null;
    const ok = await verifyPassword(user?.passwordHash ?? (await this.decoyHash), input.password);
    if (!user || !ok || user.disabledAt || !em) {
      await this.failed('login', subjects, em && user ? { em, user } : undefined);
      throw INVALID();
    }
    const { unlocked } = await this.throttle.succeed('login', account);
    user.lastLoginAt = now;
    const session = this.issue(em, user, randomUUID(), now);
    const actor = { type: ActorType.USER, id: user.id };
    if (unlocked) this.audit.record(em, { tenantId: user.tenant.id, actor, action: 'user.unlocked', objectType: 'User', objectId: user.id, details: { check: 'login' } });
    this.audit.record(em, { tenantId: user.tenant.id, actor, action: 'user.login', objectType: 'User', objectId: user.id });
    await em.flush();
    return session;
  }

  /** Exchanges a refresh token for a new pair; the old one is spent. Failures are throttled per client address. */
  async refresh(refreshToken: string, clientIp: string, now = new Date()): Promise<OperatorSession> {
    const subjects = [{ kind: 'ip', id: clientIp }] as const;
    await this.throttle.check('refresh', subjects);
    try {
      return await this.rotate(refreshToken, now);
    } catch (error) {
      if (error instanceof OperatorAuthError) await this.failed('refresh', subjects);
      throw error;
    }
  }

  /**
   * Counts a failed check; a lockout it causes on a real account is audited in the account's tenant (a lockout of an
   * address or of an account that does not exist has no tenant to record it in).
   */
  private async failed(check: ThrottledCheck, subjects: readonly ThrottleSubject[], target?: { em: EntityManager; user: User }): Promise<void> {
    const lockouts = await this.throttle.fail(check, subjects);
    const lockout = lockouts.find((l) => l.subject.kind === 'account');
    if (!lockout || !target) return;
    const { em, user } = target;
    this.audit.record(em, {
      tenantId: user.tenant.id,
      actor: { type: ActorType.SYSTEM, id: null },
      action: 'user.locked',
      objectType: 'User',
      objectId: user.id,
      details: { check, seconds: lockout.seconds, lockoutsToday: lockout.count },
    });
    await em.flush();
  }

  private async rotate(refreshToken: string, now: Date): Promise<OperatorSession> {
    const found = await this.find(refreshToken);
    const em = this.db.forTenant(found.tenant.id);
    const session = await em.transactional(async (tx) => {
      // Locked: two concurrent refreshes with one token must not both succeed.
      const stored = await tx.findOneOrFail(RefreshToken, found.id, { populate: ['user'], lockMode: LockMode.PESSIMISTIC_WRITE });
      if (stored.usedAt || stored.revokedAt) return 'reused' as const;
      if (stored.expiresAt <= now || stored.user.getEntity().disabledAt) return 'refused' as const;
      stored.usedAt = now;
      const issued = this.issue(tx, stored.user.getEntity(), stored.family, now);
      await tx.flush();
      return issued;
    });
    // A spent token came back: it leaked, so whoever holds its family is not trusted any more.
    if (session === 'reused') await this.revokeFamily(found, now);
    if (typeof session === 'string') throw INVALID();
    return session;
  }

  /** Signs out: the refresh token's family is revoked (access tokens expire within 15 minutes). */
  async logout(refreshToken: string, now = new Date()): Promise<void> {
    await this.revokeFamily(await this.find(refreshToken), now);
  }

  /**
   * Resolves an access token: signed, unexpired, and of a sign-in that has not been signed out (one indexed read), so
   * signing out also ends the access token at once rather than after its 15 minutes.
   */
  async authenticate(token: string, now = new Date()): Promise<OperatorPrincipal | null> {
    const claims = this.signed.verify('uat', token, now);
    if (!claims || typeof claims.u !== 'string' || typeof claims.t !== 'string' || typeof claims.f !== 'string') return null;
    if (!Object.hasOwn(ROLE_SCOPES, claims.r as string)) return null;
    const revoked = await this.db.forTenant(claims.t).count(RefreshToken, { user: claims.u, family: claims.f, revokedAt: { $ne: null } });
    if (revoked > 0) return null;
    const role = claims.r as UserRole;
    return { userId: claims.u, tenantId: claims.t, role, scopes: ROLE_SCOPES[role], family: claims.f, expiresAt: new Date(claims.e) };
  }

  /** Revokes a sign-in; every node ends the live subscriptions opened with its access tokens. */
  private async revokeFamily(found: RefreshToken, now: Date): Promise<void> {
    await this.db.forTenant(found.tenant.id).nativeUpdate(RefreshToken, { family: found.family, revokedAt: null }, { revokedAt: now });
    await this.events.publish({ topic: Topic.TOKEN_REVOKED, tenantId: found.tenant.id, tokenId: found.family, at: now.toISOString() });
  }

  private issue(em: EntityManager, user: User, family: string, now: Date): OperatorSession {
    const accessTokenExpiresAt = new Date(now.getTime() + ACCESS_TOKEN_TTL_MS);
    const accessToken = this.signed.sign('uat', { u: user.id, t: user.tenant.id, r: user.role, f: family }, accessTokenExpiresAt);
    const minted = mintSecret('idr');
    em.create(RefreshToken, {
      tenant: user.tenant.id,
      user,
      prefix: minted.prefix,
      secretHash: minted.hash,
      family,
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS),
    });
    return { user, accessToken, accessTokenExpiresAt, refreshToken: minted.value };
  }

  /** Finds a refresh token by its public prefix (across tenants: the tenant is what we learn) and checks its secret. */
  private async find(refreshToken: string): Promise<RefreshToken> {
    const parsed = parseSecret(refreshToken);
    if (!parsed || parsed.kind !== 'idr') throw INVALID();
    const stored = await this.db.asSystem().findOne(RefreshToken, { prefix: parsed.prefix }, SYSTEM_QUERY);
    if (!stored || !secretMatches(refreshToken, stored.secretHash)) throw INVALID();
    return stored;
  }
}
