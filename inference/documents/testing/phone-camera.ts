import sharp from 'sharp';
import { seededRandom } from './random.js';

// What a phone camera adds to the generator's clean renders, which were sharp SVG edges on a
// noiseless desk: sensor noise, the camera's own sharpening, and its JPEG. Calibration of the
// pixel forensics on clean renders alone over-rates sharpness and under-rates noise.

/** How {@link phoneCamera} "shoots". */
export interface PhoneCameraOptions {
  /** Standard deviation of the sensor's luminance noise, grey levels (2–4 in daylight, 6–10 indoors). @default 3 */
  readonly noise?: number;
  /** Unsharp-mask sigma the camera pipeline applies; 0 for none. @default 1 */
  readonly sharpen?: number;
  /** JPEG quality. @default 85 */
  readonly quality?: number;
  /** Seed of the noise. @default 1 */
  readonly seed?: number;
}

/** Standard normal samples (Box–Muller) from a seeded uniform source. */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Re-shoots an image (PNG or JPEG bytes, e.g. `photographDocument(…, { jpegQuality: 'png' })`) as a
 * phone would: Gaussian noise per pixel, mostly luminance with a weaker chroma part (a Bayer
 * sensor after demosaicing), then the camera's sharpening, then JPEG with 4:2:0 chroma.
 */
export async function phoneCamera(image: Buffer, options: PhoneCameraOptions = {}): Promise<Buffer> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const normal = gaussian(seededRandom(options.seed ?? 1));
  const sigma = options.noise ?? 3;
  for (let p = 0; p < data.length; p += 3) {
    const luminance = normal() * sigma;
    for (let c = 0; c < 3; c++) data[p + c] = Math.max(0, Math.min(255, Math.round(data[p + c]! + luminance + normal() * sigma * 0.35)));
  }
  let shot = sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } });
  const sharpen = options.sharpen ?? 1;
  if (sharpen > 0) shot = shot.sharpen({ sigma: sharpen });
  return shot.jpeg({ quality: options.quality ?? 85, chromaSubsampling: '4:2:0' }).toBuffer();
}
