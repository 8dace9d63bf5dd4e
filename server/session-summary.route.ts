import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { SessionError } from '../domain/sessions/session.errors.js';
import { SessionSummaryError } from '../domain/summaries/session-summary.errors.js';
import { renderSessionSummary } from '../domain/summaries/session-summary.pdf.js';
import { ApiErrorCode } from './errors.js';
import type { HttpRoute } from './http.js';
import type { Services } from './services.js';

/** Where the summary links of `sessionSummaryPdf` point. */
export const SESSION_SUMMARY_PATH = '/session-summary';

/**
 * `GET /session-summary?token=…`: the PDF summary of the session a signed link names. The link is the credential
 * (issued under sessions:read to a caller of the session's tenant), so the route takes no other; an expired or altered
 * link is a typed 403, a session erased since the link was issued a typed 404.
 */
export function sessionSummaryRoute(services: Services, logger: Logger): HttpRoute {
  const log = logger.child({ module: 'session-summary' });
  return {
    path: SESSION_SUMMARY_PATH,
    async handle(req: IncomingMessage, res: ServerResponse, url: URL) {
      if (req.method !== 'GET') {
        res.setHeader('allow', 'GET');
        return sendError(res, 405, ApiErrorCode.BAD_REQUEST, 'the summary is read with GET', 'METHOD_NOT_ALLOWED');
      }
      let target;
      let summary;
      try {
        target = services.sessionSummaries.open(url.searchParams.get('token') ?? '');
        summary = await services.sessionSummaries.gather(target.tenantId, target.sessionId);
      } catch (error) {
        if (error instanceof SessionSummaryError) return sendError(res, 403, ApiErrorCode.FORBIDDEN, error.message, error.code);
        if (error instanceof SessionError && error.code === 'SESSION_NOT_FOUND') return sendError(res, 404, ApiErrorCode.NOT_FOUND, 'no such session', error.code);
        throw error;
      }
      res.statusCode = 200;
      res.setHeader('content-type', 'application/pdf');
      res.setHeader('content-disposition', `attachment; filename="session-${target.sessionId}.pdf"`);
      res.setHeader('cache-control', 'no-store');
      log.info({ tenantId: target.tenantId, sessionId: target.sessionId }, 'session summary downloaded');
      await pipeline(renderSessionSummary(summary), res);
    },
  };
}

function sendError(res: ServerResponse, status: number, code: ApiErrorCode, message: string, reason: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, reason } }] }));
}
