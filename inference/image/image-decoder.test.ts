import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InferenceError } from '../inference.errors.js';
import { decodeImage, sniffImageFormat } from './image-decoder.js';

const limits = { maxBytes: 5_000_000, maxPixels: 4_000_000 };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InferenceError);
  return (error as InferenceError).code;
}

const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } });

describe('image acceptance', () => {
  it('recognises JPEG and PNG by magic bytes, not by anything else', async () => {
    expect(sniffImageFormat(await solid(8, 8).jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageFormat(await solid(8, 8).png().toBuffer())).toBe('png');
    expect(sniffImageFormat(await solid(8, 8).webp().toBuffer())).toBeUndefined();
    expect(sniffImageFormat(Buffer.from('GIF89a...'))).toBeUndefined();
    expect(sniffImageFormat(new Uint8Array([0xff, 0xd8]))).toBeUndefined();
  });

  it('decodes to RGB with the EXIF orientation applied', async () => {
    // 40×20 stored, orientation 6 ("rotate 90° clockwise to display") → 20×40 upright.
    const jpeg = await solid(40, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const image = await decodeImage(jpeg, limits);
    expect([image.width, image.height, image.orientation, image.format]).toEqual([20, 40, 6, 'jpeg']);
    expect(image.data.length).toBe(20 * 40 * 3);
  });

  it('turns grey and transparent PNGs into 3-channel RGB', async () => {
    const grey = await sharp({ create: { width: 5, height: 4, channels: 4, background: { r: 90, g: 90, b: 90, alpha: 0.5 } } }).greyscale().png().toBuffer();
    const image = await decodeImage(grey, limits);
    expect(image.data.length).toBe(5 * 4 * 3);
  });

  it('refuses other formats, garbage and truncated files with BAD_IMAGE', async () => {
    expect(await codeOf(decodeImage(await solid(8, 8).webp().toBuffer(), limits))).toBe('BAD_IMAGE');
    expect(await codeOf(decodeImage(Buffer.from('not an image at all'), limits))).toBe('BAD_IMAGE');
    const jpeg = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
    expect(await codeOf(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), limits))).toBe('BAD_IMAGE');
    const png = await solid(300, 300).png().toBuffer();
    const corrupt = Buffer.from(png);
    corrupt.fill(0x41, 60, 120); // inside the IDAT stream
    expect(await codeOf(decodeImage(corrupt, limits))).toBe('BAD_IMAGE');
  });

  it('refuses too many bytes before looking at them', async () => {
    const jpeg = await solid(64, 64).jpeg().toBuffer();
    expect(await codeOf(decodeImage(jpeg, { ...limits, maxBytes: jpeg.length - 1 }))).toBe('IMAGE_TOO_LARGE');
  });

  it('refuses a decompression bomb from its header, before decoding pixels', async () => {
    // 8000×8000 of one colour compresses to a few kilobytes and would decode to 192 MB.
    const bomb = await solid(8000, 8000).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(500_000);
    const started = performance.now();
    expect(await codeOf(decodeImage(bomb, limits))).toBe('IMAGE_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
