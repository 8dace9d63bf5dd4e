import { ApiErrorCode } from '../../server/errors.js';
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

/** Apollo Server's own request-error codes (ApolloServerErrorCode) that answers may carry, typed like ours. */
const APOLLO_CODES = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'BAD_USER_INPUT'];

/** Every `extensions.code` a client mistake may be answered with: INTERNAL_SERVER_ERROR is not one of them. */
export const TYPED_CODES: ReadonlySet<string> = new Set<string>([...Object.values(ApiErrorCode), ...APOLLO_CODES].filter((c) => c !== ApiErrorCode.INTERNAL_SERVER_ERROR));
