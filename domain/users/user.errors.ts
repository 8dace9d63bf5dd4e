import { DomainError } from '../domain-error.js';

/** Expected failures of operator management. */
export type UserErrorCode =
  | 'EMAIL_TAKEN'
  | 'USER_NOT_FOUND'
  | 'OWNER_ONLY'
  | 'LAST_OWNER'
  | 'PASSWORD_LINK_INVALID'
  | 'PASSWORD_LINK_USED'
  | 'PASSWORD_LINK_EXPIRED';

export class UserError extends DomainError<UserErrorCode> {}
