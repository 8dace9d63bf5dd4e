import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root, registerEnumType } from 'type-graphql';
import type { CaptureImageVariant } from '../../domain/images/capture-image.service.js';
import { Scope } from '../../domain/tokens/scopes.js';
import type { RequestContext } from '../../server/context.js';
import { tenantScope } from '../common/tenant-scope.js';
import { CaptureType } from '../sessions/session.type.js';

/** Which rendition of a capture image a URL serves. */
export enum ImageVariant {
  ORIGINAL = 'ORIGINAL',
  THUMBNAIL = 'THUMBNAIL',
}
registerEnumType(ImageVariant, { name: 'ImageVariant', description: 'ORIGINAL: the upload as stored; THUMBNAIL: a JPEG of at most 320 px for lists.' });

/** Capture images, for operators and partners (never an applicant: it uploaded them). */
@Resolver(() => CaptureType)
export class CaptureImageResolver {
  @Authorized(Scope.SESSIONS_READ)
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "A signed URL path on idgraph's server (resolve it against the GraphQL endpoint), valid 5 minutes, serving the decrypted image with Cache-Control: no-store; null once the image was purged.",
  })
  imageUrl(
    @Root() capture: CaptureType,
    @Ctx() ctx: RequestContext,
    @Arg('variant', () => ImageVariant, { defaultValue: ImageVariant.ORIGINAL }) variant: ImageVariant,
  ): string | null {
    if (!capture.hasImage) return null;
    return ctx.services.images.urlFor(tenantScope(ctx).tenantId, capture.id, variant satisfies CaptureImageVariant);
  }
}
