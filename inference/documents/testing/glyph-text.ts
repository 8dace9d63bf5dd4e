import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';

// Text of the generated documents as SVG paths traced from font files that ship with the repository
// (test/fixtures/fonts, licences beside them). An SVG <text> element would ask librsvg, and through it Pango and
// fontconfig, for a font by family name: on a machine without that font fontconfig silently substitutes another
// and the MRZ reads garbage (issue 18). Outlines drawn as paths depend on no system font, no fontconfig
// configuration and no hinting settings, so every machine renders the same pixels from the same files. (librsvg
// 2.63 also ignores a <text>'s per-character x list: the MRZ came out at OCR-B's own advance, 2.60 mm, rather
// than the ICAO pitch of 2.54 mm its x list asked for; an x list here is honoured.)

/** The fonts the generators draw with, by the file each one is read from. */
export const GENERATOR_FONTS = {
  /** OCR-B, the MRZ typeface of ICAO 9303 part 3 §4.2 (Debian fonts-ocr-b 0.3, public domain). */
  ocrB: 'OCRB.otf',
  /** DejaVu Sans 2.37 (Debian fonts-dejavu-core; Bitstream Vera licence), the visual zone. */
  sans: 'DejaVuSans.ttf',
  /** DejaVu Sans Bold 2.37, the visual zone's values. */
  sansBold: 'DejaVuSans-Bold.ttf',
} as const;

/** One of {@link GENERATOR_FONTS}. */
export type GeneratorFont = keyof typeof GENERATOR_FONTS;

/** Where a line of text goes and how it looks, in SVG user units (pixels). */
export interface GlyphTextOptions {
  /**
   * Left end of the baseline; or one x per character, as SVG's `x` list, which sets each character at its own
   * position instead of the font's advances (the MRZ's fixed pitch).
   */
  readonly x: number | readonly number[];
  /** The baseline. */
  readonly y: number;
  /** Em size in pixels, as SVG's `font-size`. */
  readonly size: number;
  readonly font: GeneratorFont;
  readonly fill: string;
}

/** test/fixtures/fonts, found by walking up from here: works from the sources and from dist/ alike. */
function fontsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'test', 'fixtures', 'fonts');
    if (existsSync(join(candidate, GENERATOR_FONTS.ocrB))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`test/fixtures/fonts/${GENERATOR_FONTS.ocrB} not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const fonts = new Map<GeneratorFont, fontkit.Font>();
const outlines = new Map<string, string>();

function fontOf(name: GeneratorFont): fontkit.Font {
  let font = fonts.get(name);
  if (!font) {
    font = fontkit.openSync(join(fontsDir(), GENERATOR_FONTS[name]));
    fonts.set(name, font);
  }
  return font;
}

function outlineOf(name: GeneratorFont, glyph: fontkit.Glyph, text: string): string {
  // A missing glyph would draw as an empty box: a fixture that silently changes its text is the bug this file ends.
  if (glyph.id === 0) throw new Error(`${GENERATOR_FONTS[name]} has no glyph for a character of ${JSON.stringify(text)}`);
  const key = `${name}:${glyph.id}`;
  let d = outlines.get(key);
  if (d === undefined) {
    d = glyph.path.toSVG();
    outlines.set(key, d);
  }
  return d;
}

const num = (value: number) => String(Math.round(value * 1000) / 1000);

/**
 * `text` as SVG `<path>` elements, one per glyph, drawn where and as an SVG `<text>` with the same `x`, `y`,
 * `font-size` and `fill` would be: the glyph outlines of the named font file, scaled from font units (y up) to
 * pixels (y down) with the pen moved by the font's advances and kerning, or set at the given x list.
 * Throws when the font lacks a glyph or an x list does not give one x per character.
 */
export function glyphText(text: string, options: GlyphTextOptions): string {
  const font = fontOf(options.font);
  const scale = options.size / font.unitsPerEm;
  const place = (d: string, x: number, y: number) =>
    d === '' ? '' : `<path fill="${options.fill}" transform="matrix(${num(scale)} 0 0 ${num(-scale)} ${num(x)} ${num(y)})" d="${d}"/>`;
  if (typeof options.x !== 'number') {
    const xs = options.x;
    const chars = [...text];
    if (xs.length !== chars.length) throw new Error(`${chars.length} characters but ${xs.length} x positions`);
    return chars.map((char, i) => place(outlineOf(options.font, font.glyphForCodePoint(char.codePointAt(0)!), text), xs[i]!, options.y)).join('');
  }
  const run = font.layout(text);
  let pen = options.x;
  return run.glyphs
    .map((glyph, i) => {
      const position = run.positions[i]!;
      const drawn = place(outlineOf(options.font, glyph, text), pen + position.xOffset * scale, options.y - position.yOffset * scale);
      pen += position.xAdvance * scale;
      return drawn;
    })
    .join('');
}
