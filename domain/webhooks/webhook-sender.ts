import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedUrl } from './url-guard.js';

/** Longest wait for an answer, connection included (Standard Webhooks recommends a short one). */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Most of the answer's body kept for the attempt log. */
export const RESPONSE_EXCERPT_BYTES = 1024;

/** What one HTTP attempt gave. */
export interface AttemptResult {
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

/**
 * POSTs `body` to an already-resolved URL, connecting to `target.address` whatever the name resolves to now (the
 * custom `lookup` answers with the checked address: no DNS rebinding between check and connect). TLS still checks
 * the certificate against the host name. Redirects are not followed (a 3xx is a failure), the body read stops at
 * {@link RESPONSE_EXCERPT_BYTES}, and the whole exchange is bounded by `timeoutMs`.
 */
export function postWebhook(target: ResolvedUrl, headers: Record<string, string>, body: string, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<AttemptResult> {
  const started = performance.now();
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: Omit<AttemptResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: Math.round(performance.now() - started) });
    };
    const request = client.request(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body).toString(), 'user-agent': 'idgraph-webhooks/1', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const code = response.statusCode ?? null;
          const ok = code !== null && code >= 200 && code < 300;
          done({ statusCode: code, error: ok ? null : `HTTP ${code}`, responseExcerpt: Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8') });
          response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_EXCERPT_BYTES) finish();
        });
        response.on('end', finish);
        response.on('error', finish);
      },
    );
    const timer = setTimeout(() => {
      done({ statusCode: null, error: `timeout after ${timeoutMs} ms`, responseExcerpt: null });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) => done({ statusCode: null, error: error.message.slice(0, 500), responseExcerpt: null }));
    request.end(body);
  });
}
