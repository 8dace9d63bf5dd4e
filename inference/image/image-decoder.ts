import sharp from 'sharp';
import { InferenceError } from '../inference.errors.js';
import type { ImageLimits } from '../inference.options.js';
import type { ImageFormat, RgbImage } from './rgb-image.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The container format from the first bytes, or `undefined` when it is neither JPEG nor PNG. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  // JPEG: SOI marker FF D8 followed by the next marker's FF (ITU T.81 §B.1.1.2).
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  return undefined;
}

/** An accepted image with what was learnt about it on the way in. */
export interface DecodedImage extends RgbImage {
  readonly format: ImageFormat;
  /** EXIF orientation tag (1–8) that was applied, 1 when there was none. */
  readonly orientation: number;
  /** Milliseconds spent checking and decoding. */
  readonly decodeMs: number;
}

/**
 * Accepts and decodes an upload: magic bytes, byte limit, pixel limit from the header
 * (before any pixel is decoded), EXIF orientation applied, alpha dropped, sRGB.
 * Every refusal is an {@link InferenceError}: `BAD_IMAGE` or `IMAGE_TOO_LARGE`.
 */
export async function decodeImage(bytes: Uint8Array, limits: ImageLimits): Promise<DecodedImage> {
  const started = performance.now();
  if (bytes.length > limits.maxBytes) {
    throw new InferenceError('IMAGE_TOO_LARGE', `image has ${bytes.length} bytes, the limit is ${limits.maxBytes}`, {
      bytes: bytes.length,
      maxBytes: limits.maxBytes,
    });
  }
  const format = sniffImageFormat(bytes);
  if (!format) throw new InferenceError('BAD_IMAGE', 'not a JPEG or PNG image (magic bytes)');

  // failOn 'error' refuses truncated and corrupt files instead of returning grey half-images;
  // limitInputPixels makes libvips itself refuse a bomb even if the header check below were bypassed.
  const input = () => sharp(bytes, { failOn: 'error', limitInputPixels: limits.maxPixels, sequentialRead: true });
  let metadata: Awaited<ReturnType<ReturnType<typeof input>['metadata']>>;
  try {
    // Header only (no pixels decoded), without libvips' own pixel limit so the refusal below can
    // say IMAGE_TOO_LARGE rather than a generic decoder error.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new InferenceError('BAD_IMAGE', `unreadable image header: ${messageOf(error)}`);
  }
  if (metadata.format !== format) throw new InferenceError('BAD_IMAGE', `magic bytes say ${format}, the decoder says ${metadata.format}`);
  const { width, height } = metadata;
  if (!width || !height) throw new InferenceError('BAD_IMAGE', 'image has no dimensions');
  if (width * height > limits.maxPixels) {
    throw new InferenceError('IMAGE_TOO_LARGE', `image has ${width}×${height} pixels, the limit is ${limits.maxPixels}`, {
      width,
      height,
      maxPixels: limits.maxPixels,
    });
  }

  try {
    const { data, info } = await input()
      .rotate() // no argument: apply the EXIF orientation, then drop the tag
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const rgb = info.channels === 3 ? data : toRgb(data, info.width, info.height, info.channels);
    return {
      data: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.byteLength),
      width: info.width,
      height: info.height,
      format,
      orientation: metadata.orientation ?? 1,
      decodeMs: performance.now() - started,
    };
  } catch (error) {
    throw new InferenceError('BAD_IMAGE', `corrupt image: ${messageOf(error)}`);
  }
}

/** Grey or grey+alpha rasters that libvips kept narrow: replicate the first channel. */
function toRgb(data: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += channels) {
    const v = data[j]!;
    out[i * 3] = v;
    out[i * 3 + 1] = v;
    out[i * 3 + 2] = v;
  }
  return out;
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
}
