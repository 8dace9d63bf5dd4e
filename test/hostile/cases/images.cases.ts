import { crc32, deflateSync } from 'node:zlib';
import type { HostileCase } from '../hostile-case.js';
import { upload } from '../hostile-target.js';

/** A PNG whose header declares `width`×`height` over a tiny compressed body (a decompression bomb's shape). */
function pngDeclaring(width: number, height: number, idat = deflateSync(Buffer.alloc(1024))): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

const bytes = (...values: number[]) => new Uint8Array(values);

/** Uploads that are not the images they claim to be. Each is decoded (or refused) by the inference box. */
export const imageCases: HostileCase[] = [
  { name: 'an empty file', send: (t) => upload(t, new Uint8Array(0)), status: 200, code: 'BAD_IMAGE' },
  { name: 'random bytes', send: (t) => upload(t, new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))), status: 200, code: 'BAD_IMAGE' },
  { name: 'JPEG magic bytes, then garbage', send: (t) => upload(t, bytes(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8)), status: 200, code: 'BAD_IMAGE' },
  { name: 'a GIF', send: (t) => upload(t, new Uint8Array(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')), 'image/gif'), status: 200, code: 'BAD_IMAGE' },
  { name: 'an SVG with a script', send: (t) => upload(t, new Uint8Array(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')), 'image/svg+xml'), status: 200, code: 'BAD_IMAGE' },
  { name: 'a PNG declaring 100000×100000 pixels', send: (t) => upload(t, pngDeclaring(100_000, 100_000), 'image/png'), status: 200, code: 'IMAGE_TOO_LARGE' },
  { name: 'a PNG declaring 0×0 pixels', send: (t) => upload(t, pngDeclaring(0, 0), 'image/png'), status: 200, code: 'BAD_IMAGE' },
  { name: 'a PNG whose pixel data is cut short', send: (t) => upload(t, pngDeclaring(640, 480), 'image/png'), status: 200, code: 'BAD_IMAGE' },
  { name: 'a PNG whose compressed data is not deflate', send: (t) => upload(t, pngDeclaring(64, 64, Buffer.from('not deflate at all')), 'image/png'), status: 200, code: 'BAD_IMAGE' },
];
