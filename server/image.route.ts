import type { IncomingMessage, ServerResponse } from 'node:http';
import { CAPTURE_IMAGE_PATH, CaptureImageError, type CaptureImageService } from '../domain/images/capture-image.service.js';
import { ApiErrorCode } from './errors.js';

/** Whether a request path is the image route's. */
export function isImagePath(pathname: string): boolean {
  return pathname.startsWith(CAPTURE_IMAGE_PATH);
}

/**
 * `GET /images/<signed token>` (issue 20): the capture image, decrypted on the fly, `Cache-Control: no-store` so no
 * proxy or browser cache keeps a copy of a passport. An invalid, tampered or expired URL is 403, an image that is not
 * there (erased, purged, another tenant's) 404, with the typed JSON error of every other refusal.
 */
export async function serveCaptureImage(req: IncomingMessage, res: ServerResponse, pathname: string, images: CaptureImageService): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendError(res, 405, ApiErrorCode.BAD_REQUEST, 'images are read with GET');
    return;
  }
  try {
    const { body, contentType } = await images.open(decodeURIComponent(pathname.slice(CAPTURE_IMAGE_PATH.length)));
    res.statusCode = 200;
    res.setHeader('content-type', contentType);
    res.setHeader('content-length', body.length);
    res.setHeader('content-disposition', 'inline');
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (error) {
    if (error instanceof URIError) return sendError(res, 403, ApiErrorCode.FORBIDDEN, 'the image URL is invalid or has expired', { reason: 'IMAGE_URL_INVALID' });
    if (!(error instanceof CaptureImageError)) throw error;
    const [status, code] = error.code === 'IMAGE_URL_INVALID' ? [403, ApiErrorCode.FORBIDDEN] : [404, ApiErrorCode.NOT_FOUND];
    sendError(res, status, code, error.message, { reason: error.code });
  }
}

function sendError(res: ServerResponse, status: number, code: ApiErrorCode, message: string, details: Record<string, unknown> = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...details } }] }));
}
