import { DomainError } from '../domain-error.js';

/** Expected failures of scenario management. */
export class ScenarioError extends DomainError<'SCENARIO_NOT_FOUND' | 'SCENARIO_ARCHIVED' | 'INVALID_SCENARIO'> {}
