import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { glyphText } from './glyph-text.js';

/** Rows and columns of `svgBody` drawn on white that hold ink (any channel under 128). */
async function inkBox(svgBody: string, width = 600, height = 120): Promise<{ top: number; bottom: number; left: number; right: number }> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#fff"/>${svgBody}</svg>`;
  const { data } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  const box = { top: height, bottom: -1, left: width, right: -1 };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x]! >= 128) continue;
      box.top = Math.min(box.top, y);
      box.bottom = Math.max(box.bottom, y);
      box.left = Math.min(box.left, x);
      box.right = Math.max(box.right, x);
    }
  }
  return box;
}

describe('glyphText', () => {
  it('draws capitals upright on the baseline, cap height tall (DejaVu Sans: 1493 of 2048 units)', async () => {
    const box = await inkBox(glyphText('HEXTEL', { x: 20, y: 80, size: 40, font: 'sans', fill: '#000' }));
    expect(box.bottom).toBe(79);
    expect(box.top).toBeGreaterThanOrEqual(80 - Math.ceil((40 * 1493) / 2048) - 1);
    expect(box.top).toBeLessThanOrEqual(80 - Math.floor((40 * 1493) / 2048));
    expect(box.left).toBeGreaterThanOrEqual(20);
    expect(box.left).toBeLessThan(26);
  });

  it('sets each MRZ character at its own x (OCR-B at the ICAO pitch): one glyph per place', async () => {
    const xs = [10, 35.4, 60.8, 86.2];
    const svg = glyphText('I<I<', { x: xs, y: 60, size: 36, font: 'ocrB', fill: '#111' });
    expect(svg.match(/<path /g)).toHaveLength(4);
    for (const x of xs) expect(svg).toContain(` ${x} 60)`);
    const first = await inkBox(glyphText('I', { x: [10], y: 60, size: 36, font: 'ocrB', fill: '#111' }));
    const moved = await inkBox(glyphText('I', { x: [110], y: 60, size: 36, font: 'ocrB', fill: '#111' }));
    expect(moved.left - first.left).toBe(100);
  });

  it('draws nothing for spaces but keeps their advance', async () => {
    const packed = await inkBox(glyphText('AB', { x: 20, y: 80, size: 40, font: 'sansBold', fill: '#000' }));
    const spaced = await inkBox(glyphText('A B', { x: 20, y: 80, size: 40, font: 'sansBold', fill: '#000' }));
    expect(glyphText('A B', { x: 20, y: 80, size: 40, font: 'sansBold', fill: '#000' }).match(/<path /g)).toHaveLength(2);
    expect(spaced.right - packed.right).toBeGreaterThan(8);
  });

  it('refuses a character its font has no glyph for, and an x list of the wrong length, instead of drawing something else', () => {
    expect(() => glyphText('P<UTO€', { x: 0, y: 10, size: 10, font: 'ocrB', fill: '#000' })).toThrow(/OCRB\.otf has no glyph/);
    expect(() => glyphText('P<UTO', { x: [0, 1, 2], y: 10, size: 10, font: 'ocrB', fill: '#000' })).toThrow(/5 characters but 3 x positions/);
  });
});
