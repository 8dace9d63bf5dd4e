import { CombinedGraphQLErrors } from '@apollo/client';

/** What to tell the operator about a failed operation: the API's own message (its errors are typed and safe to show). */
export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors[0]?.message ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The first GraphQL error's `extensions.code`, if any. */
export function errorCode(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const code = error.errors[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}
