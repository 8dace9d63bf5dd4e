import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { LockMode } from '@mikro-orm/sql';
import { SYSTEM_QUERY, type Database } from '../database/database.js';
import type { ScenarioService } from '../scenarios/scenario.service.js';
import type { Session } from '../sessions/session.entity.js';
import { OPEN_STATUSES, type SessionService } from '../sessions/session.service.js';
import { hashSecret, mintSecret } from '../tokens/token-secret.js';
import { KycLinkError } from './kyc-link.errors.js';
import { KycLink, KycLinkStatus } from './kyc-link.entity.js';

/** Most links per batch (reference 001). */
export const MAX_LINKS_PER_BATCH = 1000;

/**
 * One-time KYC links: created in batches for a scenario, each opening one session for an applicant without the
 * tenant's backend. The token is in the link only; the database keeps its hash.
 */
export class KycLinkService {
  constructor(
    private readonly db: Database,
    private readonly scenarios: ScenarioService,
    private readonly sessions: SessionService,
  ) {}

  /** Creates `count` links valid for `ttlMinutes`; the tokens are returned once. */
  async createBatch(
    em: EntityManager,
    tenantId: string,
    input: { scenario: { id: string } | { schemaId: string }; count: number; ttlMinutes: number },
    now = new Date(),
  ): Promise<{ batchId: string; links: { link: KycLink; token: string }[] }> {
    if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_LINKS_PER_BATCH) {
      throw new KycLinkError('INVALID_LINK_BATCH', `count must be 1 to ${MAX_LINKS_PER_BATCH}`);
    }
    if (!Number.isInteger(input.ttlMinutes) || input.ttlMinutes < 1 || input.ttlMinutes > 60 * 24 * 90) {
      throw new KycLinkError('INVALID_LINK_BATCH', 'ttlMinutes must be 1 to 129600 (90 days)');
    }
    const { scenario } = await this.scenarios.current(em, input.scenario);
    const batchId = randomUUID();
    const expiresAt = new Date(now.getTime() + input.ttlMinutes * 60_000);
    const links = Array.from({ length: input.count }, () => {
      const minted = mintSecret('idl');
      return { link: em.create(KycLink, { tenant: tenantId, scenario, batchId, tokenHash: minted.hash, expiresAt }), token: minted.value };
    });
    await em.flush();
    return { batchId, links };
  }

  /**
   * Opens a link: the first time it starts the session; while that session is open, opening it again (a reload on
   * the applicant's phone) returns the same session. Afterwards, or past its expiry, the link is spent.
   */
  async open(token: string, client: { ip?: string | null; userAgent?: string | null }, now = new Date()): Promise<{ session: Session; tenantId: string }> {
    // The tenant is what the token tells: the lookup crosses tenants, by the token's hash only.
    const found = await this.db.asSystem().findOne(KycLink, { tokenHash: hashSecret(token) }, SYSTEM_QUERY);
    if (!found) throw new KycLinkError('LINK_NOT_FOUND', 'unknown link');
    const tenantId = found.tenant.id;
    const em = this.db.forTenant(tenantId);
    let created = false;
    const session = await em.transactional(async (tx) => {
      const link = await tx.findOneOrFail(KycLink, { id: found.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (link.expiresAt <= now || link.status === KycLinkStatus.EXPIRED) {
        link.status = KycLinkStatus.EXPIRED;
        await tx.flush();
        throw new KycLinkError('LINK_EXPIRED', 'the link has expired');
      }
      if (link.sessionId) {
        const existing = await this.sessions.get(tx, link.sessionId);
        if (!OPEN_STATUSES.includes(existing.status)) throw new KycLinkError('LINK_USED', 'the link was already used');
        return existing;
      }
      const fresh = await this.sessions.prepare(tx, tenantId, { scenario: { id: link.scenario.id }, kycLinkId: link.id, clientIp: client.ip, userAgent: client.userAgent }, now);
      link.status = KycLinkStatus.OPENED;
      link.openedAt = now;
      link.sessionId = fresh.id;
      created = true;
      return fresh;
    });
    if (created) await this.sessions.announceCreated(session, now);
    return { session, tenantId };
  }
}
