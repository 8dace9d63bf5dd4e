import sharp from 'sharp';
import type { RenderedDocument } from './document-generator.js';

// A colour print of a rendered document, as an office laser printer makes it: each ink (cyan,
// magenta, yellow, black) laid down as a clustered-dot (AM) halftone screen at its classic angle
// (15°, 75°, 0°, 45°). Photographing the print (document-generator's photographDocument) then
// records the dot lattice, aliased by the camera into moiré, as a real phone does.

/** How the copy is printed. */
export interface PrintOptions {
  /** Screen ruling, lines per inch (office lasers 150–200, newspapers 85–100). @default 150 */
  readonly lpi?: number;
  /** Device pixels per document pixel of the 10 px/mm render (4: 40 px/mm, about 1016 dpi). @default 4 */
  readonly oversample?: number;
}

/** Classic screen angles, degrees: cyan, magenta, yellow, black. */
const ANGLES = [15, 75, 0, 45] as const;

/** The document printed with halftoned CMYK inks on white paper, as a new rendered document at `oversample`× its resolution. */
export async function printCopy(document: RenderedDocument, options: PrintOptions = {}): Promise<RenderedDocument> {
  const k = options.oversample ?? 4;
  const width = document.width * k;
  const height = document.height * k;
  const { data } = await sharp(document.png).removeAlpha().resize(width, height, { kernel: 'cubic' }).raw().toBuffer({ resolveWithObject: true });
  // Period of the screen in device pixels: the render is 10 px/mm, 254 px/inch, before oversampling.
  const period = (254 * k) / (options.lpi ?? 150);
  const screens = ANGLES.map((a) => ({ cos: Math.cos((a * Math.PI) / 180), sin: Math.sin((a * Math.PI) / 180) }));
  const out = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      const r = data[p]! / 255;
      const g = data[p + 1]! / 255;
      const b = data[p + 2]! / 255;
      // Grey component replacement: black takes what the three inks share.
      const black = 1 - Math.max(r, g, b);
      const ink = black < 1 ? [(1 - r - black) / (1 - black), (1 - g - black) / (1 - black), (1 - b - black) / (1 - black), black] : [0, 0, 0, 1];
      // A dot of each ink where its coverage exceeds the screen's threshold (a cosine spot function).
      const on = screens.map(({ cos, sin }, i) => {
        const u = (x * cos + y * sin) / period;
        const v = (-x * sin + y * cos) / period;
        const threshold = 0.5 + 0.25 * (Math.cos(2 * Math.PI * u) + Math.cos(2 * Math.PI * v));
        return ink[i]! > threshold ? 1 : 0;
      });
      const paper = 1 - on[3]!;
      out[p] = Math.round(250 * (1 - 0.9 * on[0]!) * paper);
      out[p + 1] = Math.round(248 * (1 - 0.9 * on[1]!) * paper);
      out[p + 2] = Math.round(244 * (1 - 0.9 * on[2]!) * paper);
    }
  }
  const png = await sharp(out, { raw: { width, height, channels: 3 } }).png().toBuffer();
  const box = document.portraitBox;
  return { png, width, height, mrz: document.mrz, portraitBox: { x: box.x * k, y: box.y * k, width: box.width * k, height: box.height * k } };
}
