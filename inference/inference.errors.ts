/**
 * Stable codes of the inference box's expected failures. The GraphQL layer maps them onto
 * `extensions.code` (STYLE.md §4), so a code, once published, is never renamed.
 */
export const INFERENCE_ERROR_CODES = [
  /** Not a JPEG or PNG by its magic bytes, or the file is truncated or corrupt. */
  'BAD_IMAGE',
  /** More bytes or more pixels than the configured limits (decompression-bomb guard). */
  'IMAGE_TOO_LARGE',
  /** A face was found but is smaller than the 30×30 px minimum (DESIGN.md §4), so it cannot be compared. */
  'FACE_TOO_SMALL',
  /** `compareFaces` was given an image in which no face was found. */
  'NO_FACE',
  /** An embedding handed to `compareFaces` has the wrong length or is not finite. */
  'BAD_EMBEDDING',
  /** The pool's bounded queue is full: back-pressure, the caller should retry later. */
  'BUSY',
  /** The request did not finish within its timeout. */
  'TIMEOUT',
  /** Model files are missing or their sha256 does not match the manifest, and could not be installed. */
  'MODELS_MISSING',
  /** The pool was disposed while the request was queued or running. */
  'SHUTTING_DOWN',
  /** A worker died while running the request (it is replaced; the request is not retried). */
  'WORKER_CRASHED',
  /** Anything else: a bug, not an expected outcome. */
  'INTERNAL',
] as const;

/** One of {@link INFERENCE_ERROR_CODES}. */
export type InferenceErrorCode = (typeof INFERENCE_ERROR_CODES)[number];

/** The only error type that leaves `inference/`: a stable `code`, a message safe for logs, optional details. */
export class InferenceError extends Error {
  override readonly name = 'InferenceError';
  readonly code: InferenceErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: InferenceErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** Plain-object form used to cross the worker boundary (structured clone drops the prototype). */
  toJSON(): SerializedInferenceError {
    return { name: 'InferenceError', code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error sent by {@link InferenceError.toJSON}, or wraps anything else as `INTERNAL`. */
  static from(value: unknown): InferenceError {
    if (value instanceof InferenceError) return value;
    if (isSerialized(value)) return new InferenceError(value.code, value.message, value.details as Record<string, unknown> | undefined);
    const message = value instanceof Error ? value.message : String(value);
    return new InferenceError('INTERNAL', message);
  }
}

/** Wire form of an {@link InferenceError}. */
export interface SerializedInferenceError {
  name: 'InferenceError';
  code: InferenceErrorCode;
  message: string;
  details: Readonly<Record<string, unknown>> | undefined;
}

function isSerialized(value: unknown): value is SerializedInferenceError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'InferenceError' &&
    INFERENCE_ERROR_CODES.includes((value as { code: InferenceErrorCode }).code)
  );
}
