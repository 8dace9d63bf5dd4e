import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stateless signed tokens `<kind>_<payload>.<hmac>`: the payload is base64url JSON with an expiry (`e`, ms); the MAC
 * covers the kind and the payload, so a token of one kind never passes for another. Used where nothing needs
 * storing: applicant tokens and operators' short-lived access tokens.
 */
export class SignedTokens {
  constructor(private readonly key: Buffer) {}

  sign(kind: string, claims: Record<string, string | number>, expiresAt: Date): string {
    const payload = Buffer.from(JSON.stringify({ ...claims, e: expiresAt.getTime() })).toString('base64url');
    return `${kind}_${payload}.${this.mac(kind, payload)}`;
  }

  /** The claims of a valid, unexpired token of `kind`; null otherwise. */
  verify(kind: string, token: string, now = new Date()): (Record<string, unknown> & { e: number }) | null {
    const match = /^([a-z]{3})_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match || match[1] !== kind) return null;
    const payload = match[2]!;
    const expected = Buffer.from(this.mac(kind, payload), 'base64url');
    const given = Buffer.from(match[3]!, 'base64url');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown> & { e: number };
      return typeof claims.e === 'number' && claims.e > now.getTime() ? claims : null;
    } catch {
      return null;
    }
  }

  private mac(kind: string, payload: string): string {
    return createHmac('sha256', this.key).update(`${kind}:${payload}`).digest('base64url');
  }
}
