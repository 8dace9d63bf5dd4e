import { DomainError } from '../domain-error.js';

/** Expected failures of tenant management. */
export class TenantError extends DomainError<'SLUG_TAKEN' | 'INVALID_SLUG' | 'INVALID_EMAIL' | 'WEAK_PASSWORD' | 'TENANT_NOT_FOUND'> {}
