/** Where the operators' console will be served (a same-origin single-page app). */
export const CONSOLE_PATH = '/console';

/**
 * The API's answers are JSON: nothing in them may run, be framed or be sniffed into something else.
 * `default-src 'none'` forbids every fetch a mis-sniffed answer could make.
 */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The console: scripts, styles, fonts and images of its own origin only (no inline script or style, no CDN), its
 * GraphQL over HTTP and WebSocket to the same origin, captures shown from `blob:` URLs.
 */
const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The security headers of every answer, by path (OWASP secure headers): no MIME sniffing, no framing, no referrer,
 * a Content-Security-Policy for the API or for the console, resources readable by the same origin only, and HSTS
 * when the node is reached over https (`IDGRAPH_HTTPS=1`: TLS here or at a proxy in front; sent over plain http
 * it would be ignored by browsers anyway, and would lock out a deployment that has no TLS yet).
 */
export function securityHeaders(pathname: string, https: boolean): Record<string, string> {
  const isConsole = pathname === CONSOLE_PATH || pathname.startsWith(`${CONSOLE_PATH}/`);
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    'content-security-policy': isConsole ? CONSOLE_CSP : API_CSP,
    ...(https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
