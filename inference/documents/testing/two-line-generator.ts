import sharp from 'sharp';
import type { MrzCheckName, MrzFormat } from '../mrz/mrz-layout.js';
import type { RenderedDocument } from './document-generator.js';
import { glyphText } from './glyph-text.js';
import { buildMrzLines, type DocumentIdentity } from './mrz-builder.js';

// Test data for the 2-line zones the main generator does not draw: TD2 cards (ICAO 9303 part 6),
// visas MRV-A and MRV-B (part 7) and the French national ID card of 1988–2021 (2 × 36, not ICAO).
// Drawn flat like document-generator.ts (SVG through sharp, text traced from the shipped fonts by
// glyph-text.ts, MRZ in OCR-B at the ICAO pitch) and
// photographed with its `photographDocument`. The portrait is a drawn silhouette: these documents
// test MRZ reading, not the face pipeline.

/** Formats drawn here. */
export type TwoLineFormat = Extract<MrzFormat, 'TD2' | 'MRV-A' | 'MRV-B' | 'FRENCH_NATIONAL_ID'>;

/** What to draw. */
export interface TwoLineSpec {
  readonly format: TwoLineFormat;
  readonly identity: DocumentIdentity;
  /** Makes one check digit of the MRZ wrong. */
  readonly breakCheck?: MrzCheckName;
}

/** Nominal sizes, mm: TD2 and MRV-B are ID-2 (ICAO 9303 parts 6, 7), MRV-A 120 × 80 (part 7), the French card ID-2. */
const SIZE_MM: Readonly<Record<TwoLineFormat, { width: number; height: number }>> = {
  TD2: { width: 105, height: 74 },
  'MRV-A': { width: 120, height: 80 },
  'MRV-B': { width: 105, height: 74 },
  FRENCH_NATIONAL_ID: { width: 105, height: 74 },
};
const TITLES: Readonly<Record<TwoLineFormat, string>> = {
  TD2: 'IDENTITY CARD',
  'MRV-A': 'VISA',
  'MRV-B': 'VISA',
  FRENCH_NATIONAL_ID: "CARTE NATIONALE D'IDENTITE",
};
const PX_PER_MM = 10;
/** ICAO 9303 part 3 §4.2: 10 characters per 25.4 mm. */
const PITCH_PX = 25.4;

/** Draws a TD2 card, an MRV-A or MRV-B visa or a French ID card flat, at 10 px/mm. */
export async function renderTwoLineDocument(spec: TwoLineSpec): Promise<RenderedDocument> {
  const mrz = buildMrzLines(spec.format, spec.identity, spec.breakCheck);
  const width = SIZE_MM[spec.format].width * PX_PER_MM;
  const height = SIZE_MM[spec.format].height * PX_PER_MM;
  const id = spec.identity;
  const x0 = Math.round((width - mrz[0]!.length * PITCH_PX) / 2);
  const mrzLine = (line: string, baseline: number) => {
    const xs = [...line].map((_, i) => Number((x0 + i * PITCH_PX).toFixed(1)));
    return glyphText(line, { x: xs, y: baseline, size: 36, font: 'ocrB', fill: '#111' });
  };
  const portraitBox = { x: 40, y: 110, width: 230, height: 290 };
  const rows: Array<[string, string]> = [
    ['Surname / Nom', id.surname],
    ['Given names / Prénoms', id.givenNames],
    ['Date of birth', `${id.birthDate.slice(4, 6)}.${id.birthDate.slice(2, 4)}.${id.birthDate.slice(0, 2)}`],
    ['Document No.', id.documentNumber],
    ['Sex', id.sex === '<' ? 'X' : id.sex],
  ];
  const viz = rows
    .map(([label, value], k) => {
      const y = 130 + k * 62;
      return glyphText(label, { x: 300, y, size: 15, font: 'sans', fill: '#5a5a7a' }) + glyphText(value, { x: 300, y: y + 28, size: 24, font: 'sansBold', fill: '#1a1a1a' });
    })
    .join('');
  const band = height - 170;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#eaf1ee"/><stop offset="1" stop-color="#f3eadf"/></linearGradient></defs>
<rect width="${width}" height="${height}" fill="url(#bg)"/>
${glyphText(TITLES[spec.format], { x: 40, y: 70, size: 30, font: 'sansBold', fill: '#27456b' })}
${glyphText(id.issuingState, { x: width - 140, y: 70, size: 26, font: 'sans', fill: '#27456b' })}
<rect x="${portraitBox.x}" y="${portraitBox.y}" width="${portraitBox.width}" height="${portraitBox.height}" fill="#c9d3dc"/>
<ellipse cx="${portraitBox.x + 115}" cy="${portraitBox.y + 115}" rx="58" ry="72" fill="#8a7b6e"/>
<path d="M${portraitBox.x + 20} ${portraitBox.y + 290} Q${portraitBox.x + 115} ${portraitBox.y + 160} ${portraitBox.x + 210} ${portraitBox.y + 290} Z" fill="#55606b"/>
${viz}
<rect x="0" y="${band}" width="${width}" height="${height - band}" fill="#f4f2ea" opacity="0.85"/>
${mrzLine(mrz[0]!, band + 62)}${mrzLine(mrz[1]!, band + 130)}</svg>`;
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  return { png, width, height, mrz, portraitBox };
}
