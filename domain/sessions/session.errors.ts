/** Expected failures of the session lifecycle; the API maps `code` to `extensions.code`. */
export class SessionError extends Error {
  constructor(
    readonly code:
      | 'SESSION_NOT_FOUND'
      | 'SESSION_FROZEN'
      | 'SESSION_FINISHED'
      | 'SESSION_BLOCKED'
      | 'STEP_NOT_FOUND'
      | 'INVALID_SESSION',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SessionError';
  }
}
