/** Expected failures of tenant management. */
export class TenantError extends Error {
  constructor(
    readonly code: 'SLUG_TAKEN' | 'INVALID_SLUG' | 'INVALID_EMAIL' | 'WEAK_PASSWORD' | 'TENANT_NOT_FOUND',
    message: string,
  ) {
    super(message);
    this.name = 'TenantError';
  }
}
