import { TokenError } from './token.errors.js';

/** What a partner token may do; every GraphQL field declares the scope it needs (default deny). */
export enum Scope {
  SESSIONS_READ = 'sessions:read',
  SESSIONS_WRITE = 'sessions:write',
  SESSIONS_REVIEW = 'sessions:review',
  /** GDPR erasure of a session (issue 20). */
  SESSIONS_DELETE = 'sessions:delete',
  SCENARIOS_READ = 'scenarios:read',
  SCENARIOS_WRITE = 'scenarios:write',
  FACELISTS_READ = 'facelists:read',
  FACELISTS_WRITE = 'facelists:write',
  LINKS_WRITE = 'links:write',
  REPORTS_READ = 'reports:read',
  /** Saved report queries: create, update, delete (issue 21). */
  REPORTS_WRITE = 'reports:write',
  /** Webhook endpoints and their delivery log (issue 20). */
  WEBHOOKS_READ = 'webhooks:read',
  WEBHOOKS_WRITE = 'webhooks:write',
  /** Operator management: invite, re-role, disable, reset (issue 22); OWNER and ADMIN only. */
  USERS_MANAGE = 'users:manage',
  AUDIT_READ = 'audit:read',
  TOKENS_MANAGE = 'tokens:manage',
}

/** Every scope, for an owner's full-access token. */
export const ALL_SCOPES: readonly Scope[] = Object.values(Scope);

/** Parses scope names, rejecting unknown ones by name. */
export function parseScopes(names: readonly string[]): Scope[] {
  const known = new Set<string>(ALL_SCOPES);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new TokenError('UNKNOWN_SCOPE', `unknown scope(s): ${unknown.join(', ')}`);
  return [...new Set(names)] as Scope[];
}
