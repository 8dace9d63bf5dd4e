import { DomainError } from '../domain-error.js';

/** Codes of {@link SessionError}. */
export type SessionErrorCode =
  | 'SESSION_NOT_FOUND'
  | 'SESSION_FROZEN'
  | 'SESSION_FINISHED'
  | 'SESSION_BLOCKED'
  | 'STEP_NOT_FOUND'
  | 'INVALID_SESSION'
  | 'APPLICANT_BLOCKED';

/** Expected failures of the session lifecycle. */
export class SessionError extends DomainError<SessionErrorCode> {}
