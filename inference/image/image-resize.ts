import sharp from 'sharp';
import type { RgbImage } from './rgb-image.js';

/**
 * Whole-image resize through libvips (SIMD, area-correct down-scaling): used for detector
 * pyramid levels, where the JavaScript sampler would touch every source pixel several times.
 */
export async function resizeRgb(src: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (width === src.width && height === src.height) return src;
  const { data, info } = await sharp(src.data, { raw: { width: src.width, height: src.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}
