import { GraphQLError, Kind, type ASTVisitor, type ValidationContext } from 'graphql';
import { ApiError, ApiErrorCode } from './errors.js';

/** What one request's input values may hold. */
export interface InputLimits {
  /** Longest string (in UTF-16 code units) a variable or a literal may carry. @default 16384 */
  maxStringLength: number;
}

/**
 * Variables nest as deep as the schema's input types plus a JSON scalar's own depth (resolvers/common/json-object.scalar.ts)
 * at most: anything deeper is refused before any code walks it recursively (a JSON body nested 50 000 levels deep parses
 * fine, then overflows the stack of whatever recurses into it: coercion, zod, `JSON.stringify` on its way to SQL).
 */
const MAX_INPUT_DEPTH = 32;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string is refused, or null. NUL ends C strings (PostgreSQL refuses it in text); a lone surrogate is not UTF-8. */
function stringProblem(value: string, maxLength: number): { reason: string; message: string } | null {
  if (value.length > maxLength) return { reason: 'STRING_TOO_LONG', message: `a string is longer than ${maxLength} characters` };
  if (value.includes('\u0000')) return { reason: 'INVALID_STRING', message: 'a string contains a NUL character' };
  if (LONE_SURROGATE.test(value)) return { reason: 'INVALID_STRING', message: 'a string contains a lone surrogate (not valid Unicode)' };
  return null;
}

/**
 * The edge check of a request's variables (HTTP and WebSocket alike), once, before anything reads them: every string
 * free of NUL and lone surrogates and within the length limit, keys included, and the whole value no deeper than the
 * schema's inputs can be. Walks iteratively, so a hostile depth cannot overflow the walk itself. Values other than
 * plain objects, arrays and scalars (graphql-upload's `Upload` promises) are left alone.
 * @throws ApiError BAD_USER_INPUT (`reason: INVALID_STRING | STRING_TOO_LONG | INPUT_TOO_DEEP`, HTTP 400)
 */
export function assertSafeVariables(variables: unknown, limits: InputLimits): void {
  const maxDepth = MAX_INPUT_DEPTH;
  const pending: { value: unknown; depth: number }[] = [{ value: variables, depth: 0 }];
  while (pending.length > 0) {
    const { value, depth } = pending.pop()!;
    if (typeof value === 'string') {
      const problem = stringProblem(value, limits.maxStringLength);
      if (problem) throw refused(problem.reason, `variables: ${problem.message}`, { maxStringLength: limits.maxStringLength });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const isArray = Array.isArray(value);
    const prototype = Object.getPrototypeOf(value);
    if (!isArray && prototype !== Object.prototype && prototype !== null) continue;
    if (depth >= maxDepth) throw refused('INPUT_TOO_DEEP', `variables nest deeper than ${maxDepth} levels`, { maxDepth });
    if (isArray) {
      for (const item of value) pending.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      pending.push({ value: key, depth: depth + 1 });
      pending.push({ value: item, depth: depth + 1 });
    }
  }
}

/**
 * A validation rule for the document's own literals: string literals obey the same rules as string variables (the
 * lexer already refuses a raw NUL and lone surrogates, but not the escape `\u0000`), and literal lists and objects nest
 * no deeper than variables may.
 */
export function safeLiteralsRule(limits: InputLimits): (context: ValidationContext) => ASTVisitor {
  const maxDepth = MAX_INPUT_DEPTH;
  return (context) => {
    let depth = 0;
    const enter = () => {
      depth += 1;
      if (depth === maxDepth + 1) context.reportError(new GraphQLError(`literal values nest deeper than ${maxDepth} levels`, { extensions: { reason: 'INPUT_TOO_DEEP', maxDepth } }));
    };
    const leave = () => {
      depth -= 1;
    };
    return {
      [Kind.LIST]: { enter, leave },
      [Kind.OBJECT]: { enter, leave },
      [Kind.STRING](node) {
        const problem = stringProblem(node.value, limits.maxStringLength);
        if (problem) context.reportError(new GraphQLError(problem.message, { nodes: node, extensions: { reason: problem.reason, maxStringLength: limits.maxStringLength } }));
      },
    };
  };
}

function refused(reason: string, message: string, details: Record<string, unknown>): ApiError {
  return new ApiError(ApiErrorCode.BAD_USER_INPUT, message, { reason, ...details, http: { status: 400 } });
}
