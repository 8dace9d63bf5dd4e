import type { SignedTokens } from './signed-token.js';

/** What an applicant token grants: uploads to, and the status of, one session. */
export interface ApplicantClaims {
  sessionId: string;
  tenantId: string;
  expiresAt: Date;
}

/**
 * Applicant tokens (`ida_…`), handed out when a session is created or a one-time link is opened: they carry the
 * session and tenant and expire with the session's lifetime. Nothing is stored; a finished session refuses uploads
 * on its own.
 */
export class ApplicantTokens {
  constructor(private readonly signed: SignedTokens) {}

  sign(claims: ApplicantClaims): string {
    return this.signed.sign('ida', { s: claims.sessionId, t: claims.tenantId }, claims.expiresAt);
  }

  verify(token: string, now = new Date()): ApplicantClaims | null {
    const claims = this.signed.verify('ida', token, now);
    if (!claims || typeof claims.s !== 'string' || typeof claims.t !== 'string') return null;
    return { sessionId: claims.s, tenantId: claims.t, expiresAt: new Date(claims.e) };
  }
}
