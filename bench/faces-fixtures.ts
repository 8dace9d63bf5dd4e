import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

/**
 * Directory of the `@vladmandic/face-api` demo photos (MIT, devDependency; see
 * test/fixtures/faces/README.md), found by walking up from this file: works from bench/ (sources)
 * and from dist/bench/ alike.
 */
export function faceApiDemoDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', '@vladmandic', 'face-api', 'demo');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('node_modules/@vladmandic/face-api not found: run npm ci (it is a devDependency)');
    dir = parent;
  }
}

/** Bytes of one demo photo, e.g. `sample1.jpg`. */
export function readDemoPhoto(name: string): Promise<Buffer> {
  return readFile(join(faceApiDemoDir(), name));
}

/** A one-face "selfie" (same crop as the tests' `selfieFrom`): 2.2× the box wide, 2.6× high, JPEG 92. */
export async function cropSelfie(photo: Buffer, box: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(photo).metadata();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const left = Math.max(0, Math.round(cx - box.width * 1.1));
  const top = Math.max(0, Math.round(cy - box.height * 1.1));
  const right = Math.min(width, Math.round(cx + box.width * 1.1));
  const bottom = Math.min(height, Math.round(cy + box.height * 1.5));
  return sharp(photo).extract({ left, top, width: right - left, height: bottom - top }).jpeg({ quality: 92 }).toBuffer();
}
