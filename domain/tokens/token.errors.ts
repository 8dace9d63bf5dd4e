import { DomainError } from '../domain-error.js';

/** Expected failures of token management. */
export class TokenError extends DomainError<'UNKNOWN_SCOPE' | 'SCOPE_NOT_HELD' | 'OUTLIVES_CREATOR' | 'TOKEN_NOT_FOUND' | 'INVALID_EXPIRY' | 'INVALID_NAME'> {}
