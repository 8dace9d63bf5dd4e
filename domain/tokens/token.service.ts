import type { EntityManager } from '@mikro-orm/sql';
import { SYSTEM_QUERY, type Database } from '../database/database.js';
import { ActorType } from '../audit/audit-entry.entity.js';
import { AuditService, type Actor } from '../audit/audit.service.js';
import type { EventBus } from '../events/event-bus.js';
import { Topic } from '../events/event.types.js';
import { ApiToken } from './api-token.entity.js';
import { parseScopes, type Scope } from './scopes.js';
import { TokenError } from './token.errors.js';
import { mintSecret, parseSecret, secretMatches } from './token-secret.js';

/** Who a valid partner token speaks for. */
export interface TokenPrincipal {
  tokenId: string;
  tenantId: string;
  scopes: Scope[];
  /** Null: never expires. */
  expiresAt: Date | null;
}

/**
 * What the creator of a token may hand on: a token never grants more than its creator holds, and never outlives it
 * (no escalation through `tokens:manage`, in scope or in time).
 */
export interface TokenCreator {
  scopes: readonly Scope[];
  /** The creator's own expiry; null: the creator does not expire (an operator, whose authority is the account). */
  expiresAt: Date | null;
}

/** Input of {@link TokenService.create}. */
export interface CreateTokenInput {
  tenantId: string;
  name: string;
  scopes: readonly string[];
  /** Whoever creates it, bounding what it may grant. Absent for idgraph itself (first start, CLI): any scope, any expiry. */
  creator?: TokenCreator;
  /** Absent = never expires. */
  expiresAt?: Date;
  createdByUserId?: string;
  /** Who creates it, for the audit log. @default idgraph itself */
  actor?: Actor;
}

const SYSTEM_ACTOR: Actor = { type: ActorType.SYSTEM, id: null };

/** Partner API tokens: minting (secret shown once), listing, revocation and authentication. */
export class TokenService {
  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    private readonly audit = new AuditService(),
  ) {}

  /** Creates a token in the caller's tenant; the returned `secret` is never retrievable again. */
  async create(em: EntityManager, input: CreateTokenInput): Promise<{ token: ApiToken; secret: string }> {
    const scopes = parseScopes(input.scopes);
    const { creator } = input;
    const notHeld = creator ? scopes.filter((s) => !creator.scopes.includes(s)) : [];
    if (notHeld.length > 0) {
      throw new TokenError('SCOPE_NOT_HELD', `cannot grant scope(s) the caller does not hold: ${notHeld.join(', ')}`, { scopes: notHeld });
    }
    // Refused rather than capped: a caller asking for a longer life (or none) must not get a shorter one silently.
    if (creator?.expiresAt && (!input.expiresAt || input.expiresAt > creator.expiresAt)) {
      const by = creator.expiresAt.toISOString();
      throw new TokenError('OUTLIVES_CREATOR', `the caller's token expires at ${by}: a token it creates must expire by then`, { expiresBy: by });
    }
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) throw new TokenError('INVALID_NAME', 'name: 1 to 200 characters');
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new TokenError('INVALID_EXPIRY', 'expiry must be in the future');
    }
    const minted = mintSecret('idg');
    const token = em.create(ApiToken, {
      tenant: input.tenantId,
      name,
      prefix: minted.prefix,
      secretHash: minted.hash,
      scopes,
      expiresAt: input.expiresAt ?? null,
      createdBy: input.createdByUserId ?? null,
    });
    this.audit.record(em, {
      tenantId: input.tenantId,
      actor: input.actor ?? SYSTEM_ACTOR,
      action: 'token.create',
      objectType: 'ApiToken',
      objectId: token.id,
      details: { name, scopes, expiresAt: input.expiresAt?.toISOString() ?? null },
    });
    await em.flush();
    return { token, secret: minted.value };
  }

  /** The tenant's tokens, newest first. */
  list(em: EntityManager): Promise<ApiToken[]> {
    return em.find(ApiToken, {}, { orderBy: { createdAt: 'desc', id: 'asc' } });
  }

  /** Revokes a token of the caller's tenant (idempotent). */
  async revoke(em: EntityManager, tokenId: string, actor: Actor = SYSTEM_ACTOR): Promise<ApiToken> {
    const token = await em.findOne(ApiToken, { id: tokenId });
    if (!token) throw new TokenError('TOKEN_NOT_FOUND', 'no such token');
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      this.audit.record(em, { tenantId: token.tenant.id, actor, action: 'token.revoke', objectType: 'ApiToken', objectId: token.id });
      await em.flush();
      // Every node ends the live subscriptions opened with this token.
      await this.events.publish({ topic: Topic.TOKEN_REVOKED, tenantId: token.tenant.id, tokenId: token.id, at: token.revokedAt.toISOString() });
    }
    return token;
  }

  /**
   * Resolves a presented bearer secret. This is one of the few cross-tenant reads: the tenant is what we are
   * finding out. Unknown, malformed, revoked and expired tokens all answer null, indistinguishably.
   */
  async authenticate(secret: string, now = new Date()): Promise<TokenPrincipal | null> {
    const parsed = parseSecret(secret);
    if (!parsed || parsed.kind !== 'idg') return null;
    const em = this.db.asSystem();
    const token = await em.findOne(ApiToken, { prefix: parsed.prefix }, SYSTEM_QUERY);
    if (!token || !secretMatches(secret, token.secretHash)) return null;
    if (token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return null;
    // Last use is informational; a minute's precision keeps hot tokens from writing on every request.
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
      token.lastUsedAt = now;
      await em.flush();
    }
    return { tokenId: token.id, tenantId: token.tenant.id, scopes: parseScopes(token.scopes), expiresAt: token.expiresAt ?? null };
  }
}
