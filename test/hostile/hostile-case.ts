import type { HostileTarget, Outcome } from './hostile-target.js';

/** The parts of the API a case attacks (the list). */
export type HostileGroup = 'documents' | 'variables' | 'scalars' | 'headers' | 'multipart' | 'images' | 'websocket';

/** One hostile request and the typed refusal it must get. */
export interface HostileCase {
  name: string;
  send(target: HostileTarget): Promise<Outcome>;
  /** HTTP status, or for a socket the close code (101: left open, the refusal is a message). */
  status: number;
  /**
   * `extensions.code` of the first error. A socket closed by graphql-ws has no message to carry one: its close code
   * is the type, and `code` is null.
   */
  code: string | null;
  reason?: string;
}
