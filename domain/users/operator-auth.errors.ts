import { DomainError } from '../domain-error.js';

/** Expected failures of operator sign-in; one code for every credential problem, so nothing is enumerable. */
export class OperatorAuthError extends DomainError<'INVALID_CREDENTIALS'> {}
