import sharp from 'sharp';

/** Longest side of a thumbnail for lists, in pixels. @default 320 */
export const THUMBNAIL_MAX_SIDE = 320;

/**
 * A JPEG thumbnail of an accepted capture for lists (issue 20): EXIF orientation applied, never enlarged, metadata
 * (GPS, camera, software) dropped as sharp does by default.
 */
export async function thumbnailJpeg(image: Uint8Array, maxSide = THUMBNAIL_MAX_SIDE): Promise<Buffer> {
  return sharp(image, { failOn: 'error' }).rotate().resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer();
}
