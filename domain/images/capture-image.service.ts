import type { Database } from '../database/database.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { BlobError } from '../blobs/blob-store.js';
import { DomainError } from '../domain-error.js';
import { Capture } from '../sessions/capture.entity.js';
import type { SignedTokens } from '../tokens/signed-token.js';
import { thumbnailJpeg } from '../../inference/index.js';

/** Expected failures of serving an image: a URL that is not ours (or expired), or an image that is not there. */
export class CaptureImageError extends DomainError<'IMAGE_URL_INVALID' | 'IMAGE_NOT_FOUND'> {}

/** The original upload, or a small JPEG for lists. */
export type CaptureImageVariant = 'ORIGINAL' | 'THUMBNAIL';

/** Where the image route lives on idgraph's own HTTP server. */
export const CAPTURE_IMAGE_PATH = '/images/';

/** Lifetime of a signed image URL. @default 5 minutes */
export const IMAGE_URL_TTL_MS = 5 * 60_000;

const KIND = 'img';
const VARIANT_CLAIM: Record<CaptureImageVariant, string> = { ORIGINAL: 'o', THUMBNAIL: 't' };

/**
 * Capture images for authorised callers (issue 20): a short-lived signed URL names the tenant, the capture and the
 * variant, so the route needs no bearer token (an `<img src>` can load it) and a URL cannot be bent to another image,
 * tenant or lifetime; the blob is decrypted on the fly and never written anywhere in clear.
 */
export class CaptureImageService {
  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
    private readonly tokens: SignedTokens,
    private readonly ttlMs = IMAGE_URL_TTL_MS,
  ) {}

  /** A path on idgraph's server (resolve it against the GraphQL endpoint's origin), valid for {@link IMAGE_URL_TTL_MS}. */
  urlFor(tenantId: string, captureId: string, variant: CaptureImageVariant, now = new Date()): string {
    return `${CAPTURE_IMAGE_PATH}${this.tokens.sign(KIND, { t: tenantId, c: captureId, v: VARIANT_CLAIM[variant] }, new Date(now.getTime() + this.ttlMs))}`;
  }

  /** The image a signed URL token names, decrypted, with its content type. */
  async open(token: string, now = new Date()): Promise<{ body: Buffer; contentType: string }> {
    const claims = this.tokens.verify(KIND, token, now);
    if (!claims || typeof claims.t !== 'string' || typeof claims.c !== 'string' || (claims.v !== 'o' && claims.v !== 't')) {
      throw new CaptureImageError('IMAGE_URL_INVALID', 'the image URL is invalid or has expired');
    }
    const capture = await this.db.forTenant(claims.t).findOne(Capture, { id: claims.c }, { fields: ['blobKey', 'image'] });
    if (!capture?.blobKey) throw new CaptureImageError('IMAGE_NOT_FOUND', 'no such image');
    let image: Buffer;
    try {
      image = await this.blobs.get(claims.t, capture.blobKey);
    } catch (error) {
      if (error instanceof BlobError) throw new CaptureImageError('IMAGE_NOT_FOUND', 'no such image');
      throw error;
    }
    if (claims.v === 't') return { body: await thumbnailJpeg(image), contentType: 'image/jpeg' };
    return { body: image, contentType: capture.image.format === 'png' ? 'image/png' : 'image/jpeg' };
  }
}
