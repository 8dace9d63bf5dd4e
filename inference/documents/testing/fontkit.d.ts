// The part of fontkit 2 (https://github.com/foliojs/fontkit, MIT; a dependency of pdfkit) that glyph-text.ts uses.
// fontkit ships no types and @types/fontkit is not installed; these follow its README ("Font objects", "Glyph
// objects", "Path objects").
declare module 'fontkit' {
  /** A glyph outline in font units, y up. */
  export interface Path {
    toSVG(): string;
  }
  export interface Glyph {
    /** 0 is `.notdef`: the font has no glyph for the character. */
    readonly id: number;
    readonly advanceWidth: number;
    readonly path: Path;
  }
  /** Font units, after kerning and the font's other positioning features. */
  export interface GlyphPosition {
    readonly xAdvance: number;
    readonly yAdvance: number;
    readonly xOffset: number;
    readonly yOffset: number;
  }
  export interface GlyphRun {
    readonly glyphs: readonly Glyph[];
    readonly positions: readonly GlyphPosition[];
  }
  export interface Font {
    readonly unitsPerEm: number;
    readonly familyName: string;
    glyphForCodePoint(codePoint: number): Glyph;
    layout(text: string): GlyphRun;
  }
  /** Opens a font file (a single-font TrueType or OpenType file gives a {@link Font}). */
  export function openSync(filename: string): Font;
}
