import { ALL_SCOPES, Scope } from '../tokens/scopes.js';
import { UserRole } from './user.entity.js';

/** What each operator role may do, in the scopes partner tokens use (one authorization model for both). */
export const ROLE_SCOPES: Readonly<Record<UserRole, readonly Scope[]>> = {
  [UserRole.OWNER]: ALL_SCOPES,
  [UserRole.ADMIN]: ALL_SCOPES,
  [UserRole.OPERATOR]: [
    Scope.SESSIONS_READ,
    Scope.SESSIONS_WRITE,
    Scope.SESSIONS_REVIEW,
    Scope.SCENARIOS_READ,
    Scope.FACELISTS_READ,
    Scope.FACELISTS_WRITE,
    Scope.LINKS_WRITE,
    Scope.REPORTS_READ,
  ],
  [UserRole.ANALYST]: [Scope.SESSIONS_READ, Scope.SCENARIOS_READ, Scope.FACELISTS_READ, Scope.REPORTS_READ],
};
