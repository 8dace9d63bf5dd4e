/**
 * Base of every expected failure of a domain call (STYLE §4): a stable `code` the API exposes as
 * `extensions.reason`, a message safe to show, and structured `details`.
 */
export abstract class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
