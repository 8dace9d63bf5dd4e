import { DomainError } from '../domain-error.js';

/** Why a summary link does not open: out of date, or not one idgraph signed (altered, truncated, another kind). */
export class SessionSummaryError extends DomainError<'LINK_EXPIRED' | 'LINK_INVALID'> {}
