import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RgbImage } from '../../image/rgb-image.js';
import { solveHomography, warpPerspective, type Quad } from '../localization/perspective.js';
import type { MrzCheckName } from '../mrz/mrz-layout.js';
import { glyphText } from './glyph-text.js';
import { buildMrzLines, type DocumentIdentity } from './mrz-builder.js';
import { between, pick, seededRandom } from './random.js';

// Test-data generator for issue 4: identity documents drawn as SVG and rendered by sharp
// (librsvg; text traced from the fonts shipped in test/fixtures/fonts by glyph-text.ts: OCR-B for
// the MRZ, DejaVu Sans for the visual zone), then "photographed": laid in perspective on a desk, blurred, glared,
// re-encoded, tagged by an editor or shown on a screen. Nothing here is used at run time.

/** Formats the generator draws. */
export type GeneratedFormat = 'TD1' | 'TD3';

/**
 * Which side of a TD1 card to draw: `both` puts portrait, visual zone and MRZ on one side (the
 * default, as on some residence permits); `front` the portrait and visual zone only; `back` the
 * MRZ under a few lines of issuer text, as ICAO 9303 part 5 lays out most ID cards.
 */
export type GeneratedSide = 'both' | 'front' | 'back';

/** Physical size in millimetres (ICAO 9303 part 4 §2 for TD3, ISO/IEC 7810 ID-1 for TD1). */
export const DOCUMENT_SIZE_MM: Readonly<Record<GeneratedFormat, { width: number; height: number }>> = {
  TD3: { width: 125, height: 88 },
  TD1: { width: 85.6, height: 54 },
};

/** Rendering scale of the flat document, pixels per millimetre. */
const PX_PER_MM = 10;
/** ICAO 9303 part 3 §4.2: MRZ characters are set at 10 per 25.4 mm. */
const MRZ_PITCH_MM = 2.54;

/** The demo photo folder of `@vladmandic/face-api`, found by walking up from here (works from sources and from dist/). */
function faceApiDemoDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', '@vladmandic', 'face-api', 'demo');
    if (existsSync(candidate)) return `${candidate}/`;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('@vladmandic/face-api (a devDependency) is not installed: npm ci');
    dir = parent;
  }
}
const FACE_API_DEMO = faceApiDemoDir();

/**
 * Faces in the MIT-licensed demo photos of `@vladmandic/face-api` (a devDependency), boxes found
 * once with this project's face detector. Portraits are cut around them.
 */
export const PORTRAIT_SOURCES: ReadonlyArray<{ file: string; box: { x: number; y: number; width: number; height: number } }> = [
  { file: 'sample1.jpg', box: { x: 387, y: 353, width: 241, height: 241 } },
  { file: 'sample2.jpg', box: { x: 859, y: 222, width: 235, height: 235 } },
  { file: 'sample3.jpg', box: { x: 1034, y: 202, width: 315, height: 315 } },
  { file: 'sample4.jpg', box: { x: 953, y: 179, width: 251, height: 251 } },
  { file: 'sample6.jpg', box: { x: 609, y: 320, width: 309, height: 309 } },
];

/** What to draw. */
export interface DocumentSpec {
  readonly format: GeneratedFormat;
  readonly identity: DocumentIdentity;
  /** Index into {@link PORTRAIT_SOURCES}. @default 0 */
  readonly portrait?: number;
  /** Makes one check digit of the MRZ wrong. */
  readonly breakCheck?: MrzCheckName;
  /** Country name printed in the header. @default 'UTOPIA' */
  readonly stateName?: string;
  /** TD1 only: the side drawn. @default 'both' */
  readonly side?: GeneratedSide;
  /** Values printed in the visual zone instead of the identity's (a forged or altered data page); the MRZ keeps the identity. */
  readonly printed?: Partial<DocumentIdentity>;
}

/** A flat, rendered document. */
export interface RenderedDocument {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  readonly mrz: readonly string[];
  /** Where the portrait was drawn, in document pixels (empty on a card's back). */
  readonly portraitBox: { x: number; y: number; width: number; height: number };
}

const portraitCache = new Map<string, Buffer>();

async function portraitImage(index: number, width: number, height: number): Promise<Buffer> {
  const key = `${index}:${width}x${height}`;
  const cached = portraitCache.get(key);
  if (cached) return cached;
  const source = PORTRAIT_SOURCES[index % PORTRAIT_SOURCES.length]!;
  const photo = await readFile(`${FACE_API_DEMO}${source.file}`);
  const { width: pw = 0, height: ph = 0 } = await sharp(photo).metadata();
  const { x, y, width: w, height: h } = source.box;
  // A passport-style head and shoulders: the face takes about 60% of the portrait's width (ICAO 9303 part 3 §3.9).
  const cropW = Math.round(w * 1.7);
  const cropH = Math.round(cropW * (height / width));
  const left = Math.max(0, Math.min(pw - cropW, Math.round(x + w / 2 - cropW / 2)));
  const top = Math.max(0, Math.min(ph - cropH, Math.round(y + h * 0.45 - cropH * 0.45)));
  const out = await sharp(photo)
    .extract({ left, top, width: Math.min(cropW, pw - left), height: Math.min(cropH, ph - top) })
    .resize(width, height, { fit: 'cover' })
    .modulate({ saturation: 0.8 })
    .png()
    .toBuffer();
  portraitCache.set(key, out);
  return out;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `YYMMDD` as printed in a visual zone: `12 AUG 1974` (century: birth dates in the past, expiry dates after 2000). */
export function vizDate(yymmdd: string, kind: 'birth' | 'expiry'): string {
  const yy = Number(yymmdd.slice(0, 2));
  const year = kind === 'expiry' ? 2000 + yy : yy > 30 ? 1900 + yy : 2000 + yy;
  return `${yymmdd.slice(4, 6)} ${MONTHS[Number(yymmdd.slice(2, 4)) - 1]} ${year}`;
}

/** An MRZ line with one explicit x per character: the MRZ is monospaced at exactly the ICAO pitch. */
function mrzText(line: string, x0: number, baseline: number, fontSize: number): string {
  const pitch = MRZ_PITCH_MM * PX_PER_MM;
  const xs = [...line].map((_, i) => Number((x0 + i * pitch).toFixed(1)));
  return glyphText(line, { x: xs, y: baseline, size: fontSize, font: 'ocrB', fill: '#111' });
}

function guilloche(width: number, height: number, colour: string, seed: number): string {
  const random = seededRandom(seed);
  const paths: string[] = [];
  for (let k = 0; k < 14; k++) {
    const amplitude = between(random, 10, 40);
    const period = between(random, 80, 220);
    const y0 = (height / 14) * k + 20;
    const phase = between(random, 0, Math.PI * 2);
    let d = `M0 ${y0.toFixed(1)}`;
    for (let x = 10; x <= width; x += 10) d += ` L${x} ${(y0 + amplitude * Math.sin((x / period) * Math.PI * 2 + phase)).toFixed(1)}`;
    paths.push(`<path d="${d}" stroke="${colour}" stroke-width="1.2" fill="none" opacity="0.55"/>`);
  }
  return paths.join('');
}

/** The three TD1 MRZ lines on their band at the bottom of the card side. */
function td1Mrz(mrz: readonly string[], width: number, height: number): string[] {
  return [
    `<rect x="0" y="378" width="${width}" height="${height - 378}" fill="#f4f2ea" opacity="0.85"/>`,
    mrzText(mrz[0]!, 48, 424, 34),
    mrzText(mrz[1]!, 48, 472, 34),
    mrzText(mrz[2]!, 48, 520, 34),
  ];
}

/** Draws the document flat, at 10 px/mm. */
export async function renderDocument(spec: DocumentSpec): Promise<RenderedDocument> {
  const mrz = buildMrzLines(spec.format, spec.identity, spec.breakCheck);
  const size = DOCUMENT_SIZE_MM[spec.format];
  const width = Math.round(size.width * PX_PER_MM);
  const height = Math.round(size.height * PX_PER_MM);
  const id = { ...spec.identity, ...spec.printed };
  const side = spec.format === 'TD1' ? (spec.side ?? 'both') : 'both';
  const stateName = spec.stateName ?? 'UTOPIA';
  const label = (x: number, y: number, text: string) => glyphText(text, { x, y, size: 15, font: 'sans', fill: '#5a5a7a' });
  const value = (x: number, y: number, text: string, size = 24) => glyphText(text, { x, y, size, font: 'sansBold', fill: '#1a1a1a' });
  const title = (x: number, y: number, text: string, size: number, bold: boolean) => glyphText(text, { x, y, size, font: bold ? 'sansBold' : 'sans', fill: '#2b3a67' });
  let portraitBox: RenderedDocument['portraitBox'];
  let body: string;
  if (spec.format === 'TD3') {
    portraitBox = { x: 60, y: 150, width: 300, height: 385 };
    const vx = 400;
    body = [
      title(60, 70, 'PASSPORT', 34, true),
      title(420, 70, stateName, 30, false),
      label(vx, 150, 'Type / Code / Passport No.'),
      value(vx, 180, `${id.documentCode.replace(/</g, '')}   ${id.issuingState}   ${id.documentNumber}`),
      label(vx, 220, 'Surname'),
      value(vx, 250, id.surname),
      label(vx, 290, 'Given names'),
      value(vx, 320, id.givenNames),
      label(vx, 360, 'Nationality'),
      value(vx, 390, id.nationality),
      label(vx, 430, 'Date of birth'),
      value(vx, 460, vizDate(id.birthDate, 'birth')),
      label(vx + 330, 430, 'Sex'),
      value(vx + 330, 460, id.sex === '<' ? 'X' : id.sex),
      label(vx, 500, 'Date of expiry'),
      value(vx, 530, vizDate(id.expiryDate, 'expiry')),
      label(vx + 330, 500, 'Personal No.'),
      value(vx + 330, 530, id.personalNumber.replace(/</g, ' ').trim() || '-'),
      `<rect x="0" y="690" width="${width}" height="${height - 690}" fill="#f4f2ea" opacity="0.85"/>`,
      mrzText(mrz[0]!, 62, 770, 36),
      mrzText(mrz[1]!, 62, 838, 36),
    ].join('');
  } else if (side === 'back') {
    portraitBox = { x: 0, y: 0, width: 0, height: 0 };
    // Real card backs are printed in colour too (an emblem, a tinted band): without it a back reads as a B&W copy.
    body = [
      `<rect x="0" y="0" width="${width}" height="378" fill="#f0c9b8" opacity="0.7"/><rect x="0" y="0" width="${width}" height="36" fill="#b0413e"/>`,
      `<circle cx="760" cy="90" r="55" fill="#d9a441" opacity="0.8"/><circle cx="760" cy="90" r="32" fill="#2b3a67" opacity="0.85"/>`,
      label(40, 60, 'Address'),
      value(40, 88, '12 HARBOUR STREET, UTOPIA CITY', 20),
      label(40, 124, 'Place of birth'),
      value(40, 152, stateName, 20),
      label(40, 188, 'Authority'),
      value(40, 216, `MINISTRY OF INTERIOR ${id.issuingState}`, 20),
      label(560, 188, 'Height'),
      value(560, 216, '172 cm', 20),
      ...td1Mrz(mrz, width, height),
    ].join('');
  } else {
    portraitBox = { x: 30, y: 90, width: 210, height: 270 };
    const vx = 270;
    // A front without the MRZ band has room for one more line of the visual zone.
    body = [
      title(30, 55, 'IDENTITY CARD', 28, true),
      title(560, 55, stateName, 24, false),
      label(vx, 100, 'Surname'),
      value(vx, 126, id.surname, 22),
      label(vx, 158, 'Given names'),
      value(vx, 184, id.givenNames, 22),
      label(vx, 216, 'Date of birth'),
      value(vx, 242, vizDate(id.birthDate, 'birth'), 22),
      label(vx + 260, 216, 'Sex'),
      value(vx + 260, 242, id.sex === '<' ? 'X' : id.sex, 22),
      label(vx, 274, 'Document No.'),
      value(vx, 300, id.documentNumber, 22),
      label(vx + 260, 274, 'Nationality'),
      value(vx + 260, 300, id.nationality, 22),
      label(vx, 332, 'Date of expiry'),
      value(vx, 358, vizDate(id.expiryDate, 'expiry'), 22),
      ...(side === 'front' ? [label(vx, 390, 'Card access number'), value(vx, 416, id.documentNumber.slice(-6), 22)] : td1Mrz(mrz, width, height)),
    ].join('');
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#eef1f6"/><stop offset="1" stop-color="#f6ece4"/></linearGradient></defs>
<rect width="${width}" height="${height}" fill="url(#bg)"/>${guilloche(width, height, '#9db3d6', id.documentNumber.length * 7 + id.birthDate.charCodeAt(5))}${body}</svg>`;
  const portrait = portraitBox.width > 0 ? [{ input: await portraitImage(spec.portrait ?? 0, portraitBox.width, portraitBox.height), left: portraitBox.x, top: portraitBox.y }] : [];
  const png = await sharp(Buffer.from(svg)).composite(portrait).png().toBuffer();
  return { png, width, height, mrz, portraitBox };
}

/** How the rendered document is "photographed". Every field is optional; none means a clean, frontal photo. */
export interface PhotoOptions {
  /** Photo size. @default 1280 × 960 */
  readonly width?: number;
  readonly height?: number;
  /** Share of the photo's width the document spans. @default 0.78 */
  readonly documentScale?: number;
  /** In-plane rotation, degrees. @default 0 */
  readonly rotation?: number;
  /** Each corner moves up to this share of the document's width (a tilted camera). @default 0 */
  readonly perspective?: number;
  /** Gaussian blur sigma in photo pixels (out of focus, hand shake). @default none */
  readonly blur?: number;
  /** A specular highlight: centre as a share of the photo, radius as a share of its width. */
  readonly glare?: { readonly x: number; readonly y: number; readonly radius: number };
  /** Grey photo (a black-and-white copy). @default false */
  readonly greyscale?: boolean;
  /** JPEG quality; `png` writes PNG instead. @default 90 */
  readonly jpegQuality?: number | 'png';
  /** Writes this string into EXIF IFD0 `Software` (tag 0x0131), as image editors do. */
  readonly editor?: string;
  /** Shows the document on a rendered LCD (RGB sub-pixels, bezel) and photographs that: moiré. @default false */
  readonly screen?: boolean;
  /** Desk colour. @default '#6b5440' */
  readonly background?: string;
  /** Litters the desk with bright papers and objects of many colours (a busy scene: no outline is found). @default false */
  readonly clutter?: boolean;
  /** Seed of the random jitter (perspective directions, desk texture). @default 1 */
  readonly seed?: number;
}

/** A generated photo and what is known about it. */
export interface DocumentPhoto {
  readonly image: Buffer;
  /** Where the document's corners landed, clockwise from top-left (of the screen, for a screen photo). */
  readonly corners: Quad;
  readonly mrz: readonly string[];
}

async function rawOf(input: Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(input).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** An LCD showing `doc`: each screen pixel becomes 3×3 photo-resolution cells of R, G, B stripes with a dark row. */
function screenOf(doc: RgbImage, screenWidth: number): RgbImage {
  const sw = screenWidth;
  const sh = Math.round((doc.height / doc.width) * sw);
  const bezel = Math.round(sw * 0.06);
  const W = (sw + 2 * bezel) * 3;
  const H = (sh + 2 * bezel) * 3;
  const out = new Uint8Array(W * H * 3).fill(18);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      // Nearest source pixel of the box the screen pixel covers (what a display scaler shows).
      const sx = Math.min(doc.width - 1, Math.floor(((x + 0.5) * doc.width) / sw));
      const sy = Math.min(doc.height - 1, Math.floor(((y + 0.5) * doc.height) / sh));
      const p = (sy * doc.width + sx) * 3;
      for (let j = 0; j < 3; j++) {
        const dim = j === 2 ? 0.45 : 1.0;
        for (let c = 0; c < 3; c++) {
          const o = (((y + bezel) * 3 + j) * W + (x + bezel) * 3 + c) * 3;
          // The backlight makes the panel bright and slightly blue.
          out[o + c] = Math.min(255, Math.round(doc.data[p + c]! * dim * (c === 2 ? 1.15 : 1.05) + 10));
        }
      }
    }
  }
  return { data: out, width: W, height: H };
}

async function desk(width: number, height: number, colour: string, seed: number, clutter: boolean): Promise<RgbImage> {
  const random = seededRandom(seed * 7919 + 13);
  let streaks = Array.from({ length: 40 }, () => {
    const y = between(random, 0, height);
    return `<rect x="0" y="${y.toFixed(0)}" width="${width}" height="${between(random, 1, 6).toFixed(1)}" fill="#000" opacity="${between(random, 0.03, 0.12).toFixed(2)}"/>`;
  }).join('');
  if (clutter) {
    const colours = ['#e8e2d0', '#c0392b', '#2980b9', '#f1c40f', '#27ae60', '#ffffff', '#8e44ad', '#222222', '#e67e22'];
    streaks += Array.from({ length: 60 }, () => {
      const w = between(random, 0.05, 0.3) * width;
      const h = between(random, 0.05, 0.3) * height;
      const x = between(random, -0.1, 1) * width;
      const y = between(random, -0.1, 1) * height;
      return `<rect x="${x.toFixed(0)}" y="${y.toFixed(0)}" width="${w.toFixed(0)}" height="${h.toFixed(0)}" fill="${pick(random, colours)}" transform="rotate(${between(random, -30, 30).toFixed(0)} ${x.toFixed(0)} ${y.toFixed(0)})"/>`;
    }).join('');
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><radialGradient id="l" cx="0.4" cy="0.35" r="0.9"><stop offset="0" stop-color="#fff" stop-opacity="0.18"/><stop offset="1" stop-color="#000" stop-opacity="0.25"/></radialGradient></defs>
<rect width="${width}" height="${height}" fill="${colour}"/>${streaks}<rect width="${width}" height="${height}" fill="url(#l)"/></svg>`;
  return rawOf(await sharp(Buffer.from(svg)).png().toBuffer());
}

/** Photographs a rendered document as `options` say. */
export async function photographDocument(document: RenderedDocument, options: PhotoOptions = {}): Promise<DocumentPhoto> {
  const width = options.width ?? 1280;
  const height = options.height ?? 960;
  const random = seededRandom(options.seed ?? 1);
  let source = await rawOf(document.png);
  if (options.screen) source = screenOf(source, 420);
  const aspect = source.height / source.width;
  const docW = width * (options.documentScale ?? 0.78);
  const docH = docW * aspect;
  const angle = ((options.rotation ?? 0) * Math.PI) / 180;
  const cx = width / 2;
  const cy = height / 2;
  const jitter = (options.perspective ?? 0) * docW;
  const corners = ([
    [-docW / 2, -docH / 2],
    [docW / 2, -docH / 2],
    [docW / 2, docH / 2],
    [-docW / 2, docH / 2],
  ] as const).map(([x, y]) => {
    const jx = jitter * (random() * 2 - 1);
    const jy = jitter * (random() * 2 - 1);
    return { x: cx + (x + jx) * Math.cos(angle) - (y + jy) * Math.sin(angle), y: cy + (x + jx) * Math.sin(angle) + (y + jy) * Math.cos(angle) };
  }) as unknown as Quad;
  const sourceCorners: Quad = [
    { x: 0, y: 0 },
    { x: source.width - 1, y: 0 },
    { x: source.width - 1, y: source.height - 1 },
    { x: 0, y: source.height - 1 },
  ];
  const background = await desk(width, height, options.background ?? '#6b5440', options.seed ?? 1, options.clutter ?? false);
  // The screen keeps one sample per pixel: aliasing of the sub-pixel grid is the moiré a camera records.
  const photo = warpPerspective(source, solveHomography(corners, sourceCorners), width, height, {
    outside: background,
    supersample: options.screen ? 1 : 2,
  });
  let image = sharp(photo.data, { raw: { width, height, channels: 3 } });
  if (options.blur) image = image.blur(options.blur);
  if (options.glare) {
    const { x, y, radius } = options.glare;
    const r = radius * width;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><radialGradient id="g">
<stop offset="0" stop-color="#fff" stop-opacity="1"/><stop offset="0.45" stop-color="#fff" stop-opacity="0.97"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>
<ellipse cx="${x * width}" cy="${y * height}" rx="${r}" ry="${r * 0.7}" fill="url(#g)"/></svg>`;
    image = sharp(await image.composite([{ input: Buffer.from(svg) }]).png().toBuffer());
  }
  if (options.greyscale) image = image.greyscale();
  if (options.editor) image = image.withExif({ IFD0: { Software: options.editor } });
  const quality = options.jpegQuality ?? 90;
  const bytes = quality === 'png' ? await image.png().toBuffer() : await image.jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
  return { image: bytes, corners, mrz: document.mrz };
}

const SURNAMES = ['ERIKSSON', 'MUELLER', 'OKONKWO', 'NAKAMURA', 'GARCIA LOPEZ', 'OBRIEN', 'SCHMIDT', 'DUBOIS', 'KOWALSKA', 'ROSSI', 'VAN DER BERG', 'HALVORSEN', 'PETROV', 'SILVA', 'NGUYEN', 'WIJAYA'];
const GIVEN = ['ANNA MARIA', 'JOHN', 'MEI', 'CARLOS', 'FATIMA', 'OLUWASEUN', 'INGRID SOFIE', 'PIERRE', 'AKIRA', 'ZOFIA', 'LUCA', 'EMMA', 'IVAN', 'GRACE', 'QUYEN', 'BOB'];
const STATES = ['UTO', 'D', 'FRA', 'GBR', 'NLD', 'ITA', 'ESP', 'POL', 'NOR', 'USA', 'CAN', 'JPN', 'NGA', 'BRA', 'IDN', 'SWE'];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random but plausible identity; dates are `YYMMDD`, birth in 1950–2009, expiry in 2024–2035. */
export function randomIdentity(random: () => number, format: GeneratedFormat): DocumentIdentity {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const two = (n: number) => String(n).padStart(2, '0');
  const date = (from: number, to: number) => {
    const year = Math.floor(between(random, from, to + 1));
    return `${two(year % 100)}${two(1 + Math.floor(random() * 12))}${two(1 + Math.floor(random() * 28))}`;
  };
  const state = pick(random, STATES);
  const number = pick(random, [...ALNUM.slice(0, 26)]) + pick(random, [...ALNUM]) + digits(6) + pick(random, [...ALNUM]);
  return {
    documentCode: format === 'TD3' ? 'P<' : 'ID',
    issuingState: state,
    surname: pick(random, SURNAMES),
    givenNames: pick(random, GIVEN),
    documentNumber: number,
    nationality: random() < 0.8 ? state : pick(random, STATES),
    birthDate: date(1950, 2009),
    sex: random() < 0.48 ? 'F' : random() < 0.96 ? 'M' : '<',
    expiryDate: date(2024, 2035),
    personalNumber: random() < 0.6 ? digits(format === 'TD3' ? 10 : 11) : '',
  };
}

/** One sample of a generated set: the photo, what it must read as, and how it was made. */
export interface GeneratedSample {
  readonly name: string;
  readonly format: GeneratedFormat;
  readonly identity: DocumentIdentity;
  readonly mrz: readonly string[];
  readonly photo: DocumentPhoto;
  readonly options: PhotoOptions;
}

/**
 * `count` documents, alternating TD3 and TD1, each photographed with "mild" distortions as a
 * phone held by hand gives them: rotation ±5°, perspective up to 3%, scale 0.6–0.85, blur σ ≤ 0.8,
 * JPEG quality 70–95. Deterministic for a seed.
 */
export async function generateMildSet(count: number, seed = 42): Promise<GeneratedSample[]> {
  const random = seededRandom(seed);
  const samples: GeneratedSample[] = [];
  for (let i = 0; i < count; i++) {
    const format: GeneratedFormat = i % 2 === 0 ? 'TD3' : 'TD1';
    const identity = randomIdentity(random, format);
    const document = await renderDocument({ format, identity, portrait: i % PORTRAIT_SOURCES.length, stateName: identity.issuingState });
    const options: PhotoOptions = {
      rotation: between(random, -5, 5),
      perspective: between(random, 0, 0.03),
      documentScale: between(random, 0.6, 0.85),
      blur: random() < 0.5 ? between(random, 0.3, 0.8) : undefined,
      jpegQuality: Math.round(between(random, 70, 95)),
      seed: i + 1,
    };
    samples.push({ name: `${format}-${i}`, format, identity, mrz: document.mrz, photo: await photographDocument(document, options), options });
  }
  return samples;
}
