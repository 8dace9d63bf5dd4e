/** Expected failures of scenario management. */
export class ScenarioError extends Error {
  constructor(
    readonly code: 'SCENARIO_NOT_FOUND' | 'SCENARIO_ARCHIVED' | 'INVALID_SCENARIO',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}
