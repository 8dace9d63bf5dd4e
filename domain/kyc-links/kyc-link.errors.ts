import { DomainError } from '../domain-error.js';

/** Expected failures of one-time links. */
export class KycLinkError extends DomainError<'INVALID_LINK_BATCH' | 'LINK_NOT_FOUND' | 'LINK_EXPIRED' | 'LINK_USED'> {}
