import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { DomainError } from '../domain/domain-error.js';

/** The one enum of `extensions.code` values clients program against (STYLE §4). */
export enum ApiErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  BAD_IMAGE = 'BAD_IMAGE',
  IMAGE_TOO_LARGE = 'IMAGE_TOO_LARGE',
  SESSION_FROZEN = 'SESSION_FROZEN',
  SESSION_FINISHED = 'SESSION_FINISHED',
  RATE_LIMITED = 'RATE_LIMITED',
  BUSY = 'BUSY',
  /** The HTTP body is over its limit (JSON body, a multipart field). */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** The HTTP body is not a request at all (malformed JSON or multipart). */
  BAD_REQUEST = 'BAD_REQUEST',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** The applicant was finally rejected in this tenant (reference 003): no new attempt. */
  APPLICANT_BLOCKED = 'APPLICANT_BLOCKED',
}

/** An access or request failure raised by the API layer itself. */
export class ApiError extends GraphQLError {
  constructor(code: ApiErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
  }
}

/**
 * How each domain code surfaces. Codes not listed are input problems (BAD_USER_INPUT); the domain's own code always
 * travels along as `extensions.reason`, so clients can be as precise as they like.
 */
const API_CODE_BY_REASON: Record<string, ApiErrorCode> = {
  SCENARIO_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  SESSION_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  STEP_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  TOKEN_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  SCOPE_NOT_HELD: ApiErrorCode.FORBIDDEN,
  OUTLIVES_CREATOR: ApiErrorCode.FORBIDDEN,
  TENANT_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  FACE_LIST_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  FACE_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  ENTRY_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  BLOB_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  SLUG_TAKEN: ApiErrorCode.CONFLICT,
  IDEMPOTENCY_KEY_REUSED: ApiErrorCode.CONFLICT,
  IDEMPOTENCY_KEY_IN_PROGRESS: ApiErrorCode.CONFLICT,
  INVALID_CREDENTIALS: ApiErrorCode.UNAUTHENTICATED,
  LINK_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  WEBHOOK_ENDPOINT_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  WEBHOOK_DELIVERY_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  LINK_EXPIRED: ApiErrorCode.SESSION_FROZEN,
  LINK_USED: ApiErrorCode.SESSION_FINISHED,
  SESSION_FROZEN: ApiErrorCode.SESSION_FROZEN,
  SESSION_FINISHED: ApiErrorCode.SESSION_FINISHED,
  SESSION_BLOCKED: ApiErrorCode.SESSION_FINISHED,
  APPLICANT_BLOCKED: ApiErrorCode.APPLICANT_BLOCKED,
  // Operator management (domain/users/user.errors.ts).
  USER_NOT_FOUND: ApiErrorCode.NOT_FOUND,
  EMAIL_TAKEN: ApiErrorCode.CONFLICT,
  LAST_OWNER: ApiErrorCode.CONFLICT,
  OWNER_ONLY: ApiErrorCode.FORBIDDEN,
  // Inference (inference/inference.errors.ts).
  BAD_IMAGE: ApiErrorCode.BAD_IMAGE,
  IMAGE_TOO_LARGE: ApiErrorCode.IMAGE_TOO_LARGE,
  BUSY: ApiErrorCode.BUSY,
  TIMEOUT: ApiErrorCode.BUSY,
  SHUTTING_DOWN: ApiErrorCode.BUSY,
  WORKER_CRASHED: ApiErrorCode.INTERNAL_SERVER_ERROR,
  MODELS_MISSING: ApiErrorCode.INTERNAL_SERVER_ERROR,
  INTERNAL: ApiErrorCode.INTERNAL_SERVER_ERROR,
};

/** Errors that carry a stable code: domain errors and the inference box's errors share this shape. */
function codedError(error: unknown): { code: string; message: string; details?: Readonly<Record<string, unknown>> } | null {
  if (error instanceof DomainError) return error;
  if (error instanceof Error && error.name === 'InferenceError' && typeof (error as { code?: unknown }).code === 'string') {
    return error as Error & { code: string; details?: Record<string, unknown> };
  }
  return null;
}

/**
 * Apollo's `formatError` (and the WebSocket server's): expected failures keep their message with a typed code; anything
 * unexpected becomes a generic INTERNAL_SERVER_ERROR, logged with its stack and never sent, in every mode. Only
 * `debugErrors` (IDGRAPH_DEBUG_ERRORS=1, for a developer's own machine) sends the inner message and stack: NODE_ENV does
 * not, so a development node reachable by others leaks nothing either.
 */
export function createErrorFormatter(logger: Logger, debugErrors: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original === undefined || original instanceof GraphQLError) {
      // Validation, ApiError, Apollo's own request errors: typed already, unless something threw a bare GraphQLError.
      if (formatted.extensions?.code !== ApiErrorCode.INTERNAL_SERVER_ERROR) return formatted;
    } else {
      const coded = codedError(original);
      const code = coded ? (API_CODE_BY_REASON[coded.code] ?? ApiErrorCode.BAD_USER_INPUT) : ApiErrorCode.INTERNAL_SERVER_ERROR;
      if (coded && code !== ApiErrorCode.INTERNAL_SERVER_ERROR) {
        return { ...formatted, message: coded.message, extensions: { code, reason: coded.code, ...(coded.details ?? {}) } };
      }
    }
    logger.error({ err: original ?? error, path: formatted.path }, 'unexpected error');
    return {
      message: debugErrors ? formatted.message : 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ApiErrorCode.INTERNAL_SERVER_ERROR, ...(debugErrors ? formatted.extensions : {}) },
    };
  };
}
