import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an applicant token grants: uploads to, and the status of, one session. */
export interface ApplicantClaims {
  sessionId: string;
  tenantId: string;
  expiresAt: Date;
}

/**
 * Applicant tokens are stateless (`ida_<payload>.<hmac>`): handed out when a session is created or a one-time link
 * is opened, they carry the session and tenant and expire with the session's lifetime. Nothing is stored, so there is
 * nothing to leak from the database; a finished session refuses uploads on its own.
 */
export class ApplicantTokens {
  constructor(private readonly key: Buffer) {}

  /** Signs claims into a token. */
  sign(claims: ApplicantClaims): string {
    const payload = Buffer.from(JSON.stringify({ s: claims.sessionId, t: claims.tenantId, e: claims.expiresAt.getTime() })).toString('base64url');
    return `ida_${payload}.${this.mac(payload)}`;
  }

  /** Verifies a token; null when malformed, forged or expired. */
  verify(token: string, now = new Date()): ApplicantClaims | null {
    const match = /^ida_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const [, payload, mac] = match as unknown as [string, string, string];
    const expected = Buffer.from(this.mac(payload), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { s: string; t: string; e: number };
      if (typeof claims.s !== 'string' || typeof claims.t !== 'string' || !(claims.e > now.getTime())) return null;
      return { sessionId: claims.s, tenantId: claims.t, expiresAt: new Date(claims.e) };
    } catch {
      return null;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(`applicant:${payload}`).digest('base64url');
  }
}
