/** Request headers a cross-origin caller may send (Apollo's CSRF preflight headers among them). */
const ALLOWED_HEADERS = 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, idempotency-key';

/** What to answer a cross-origin request: the headers to add, and whether it is a preflight to answer at once. */
export interface CorsAnswer {
  headers: Record<string, string>;
  /** An `OPTIONS` preflight: answer 204 (allowed) or 403 (refused) without running anything. */
  preflight: 'allowed' | 'refused' | null;
}

/**
 * CORS by allow-list (`IDGRAPH_CORS_ORIGINS`, exact origins; none by default, so browsers on other origins cannot
 * read answers). Credentials travel in the `Authorization` header, never in cookies, so `allow-credentials` is never
 * sent. A request from an origin not on the list still runs (a browser will not let the page read it; servers send no
 * `Origin`): CSRF is Apollo's preflight check's job, not CORS's.
 */
export function corsAnswer(allowed: readonly string[], method: string | undefined, origin: string | undefined): CorsAnswer {
  const isPreflight = method === 'OPTIONS';
  if (!origin || !allowed.includes(origin)) return { headers: { vary: 'origin' }, preflight: isPreflight ? 'refused' : null };
  const headers: Record<string, string> = { vary: 'origin', 'access-control-allow-origin': origin };
  if (!isPreflight) return { headers: { ...headers, 'access-control-expose-headers': 'retry-after, idempotent-replayed' }, preflight: null };
  return {
    headers: { ...headers, 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': ALLOWED_HEADERS, 'access-control-max-age': '600' },
    preflight: 'allowed',
  };
}
