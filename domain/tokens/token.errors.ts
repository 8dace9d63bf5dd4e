/** Expected failures of token management. */
export class TokenError extends Error {
  constructor(
    readonly code: 'UNKNOWN_SCOPE' | 'TOKEN_NOT_FOUND' | 'INVALID_EXPIRY',
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}
