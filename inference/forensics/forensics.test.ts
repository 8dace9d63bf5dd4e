import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentLocation } from '../documents/document.types.js';
import { deskewDocument, locateDocument } from '../documents/localization/document-locator.js';
import type { Quad } from '../documents/localization/perspective.js';
import { type RenderedDocument, photographDocument, renderDocument } from '../documents/testing/document-generator.js';
import { ICAO_TD1_SPECIMEN, ICAO_TD3_SPECIMEN } from '../documents/testing/mrz-builder.js';
import { phoneCamera } from '../documents/testing/phone-camera.js';
import { printCopy } from '../documents/testing/print-copy.js';
import { seededRandom } from '../documents/testing/random.js';
import { decodeImage } from '../image/image-decoder.js';
import type { RgbImage } from '../image/rgb-image.js';
import { measureBlur } from './blur.forensic.js';
import { WHOLE_IMAGE_CONFIDENCE, runForensics, screenWindowCentres } from './document-forensics.js';
import { findEditor } from './editor.forensic.js';
import { SQUARE_LATTICE } from './screen.forensic.js';
import { DEFAULT_IMAGE_LIMITS } from '../inference.options.js';

const xmp = (body: string) =>
  new TextEncoder().encode(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">${body}</rdf:RDF></x:xmpmeta>`);

describe('IMAGE_EDITED from XMP', () => {
  it('ignores the photoshop namespace that phones and exporters write (DateCreated, Credit …)', () => {
    // What a phone's camera app or a photo library's export writes: no editor anywhere.
    const camera = xmp(
      `<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:GCamera="http://ns.google.com/photos/1.0/camera/"
        xmp:CreatorTool="Pixel 8 Pro" xmp:CreateDate="2025-03-01T10:12:00" photoshop:DateCreated="2025-03-01T10:12:00" photoshop:Credit="" GCamera:MicroVideo="0"/>`,
    );
    expect(findEditor(undefined, camera)).toEqual({ software: 'Pixel 8 Pro', editor: null, score: 0 });
    const exported = xmp(`<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><photoshop:DateCreated>2025-03-01</photoshop:DateCreated><photoshop:History/></rdf:Description>`);
    expect(findEditor(undefined, exported).editor).toBeNull();
  });

  it('names the editor from CreatorTool, tiff:Software, a history softwareAgent or photoshop:History', () => {
    expect(findEditor(undefined, xmp('<rdf:Description xmp:CreatorTool="GIMP 2.10"/>')).editor).toBe('GIMP');
    expect(findEditor(undefined, xmp('<rdf:Description><tiff:Software>Affinity Photo 2</tiff:Software></rdf:Description>')).editor).toBe('Affinity Photo');
    const history = xmp(
      '<rdf:Description xmp:CreatorTool="iOS 17.4"><xmpMM:History><rdf:Seq><rdf:li stEvt:action="saved" stEvt:softwareAgent="Snapseed 2.0"/></rdf:Seq></xmpMM:History></rdf:Description>',
    );
    expect(findEditor(undefined, history)).toMatchObject({ editor: 'Snapseed', software: 'Snapseed 2.0', score: 0.9 });
    expect(findEditor(undefined, xmp('<rdf:Description><photoshop:History>2025-03-01 Image size</photoshop:History></rdf:Description>')).editor).toBe('Adobe Photoshop');
  });
});

/** A noisy, aperiodic "document" of `w` × `h` at (`x0`, `y0`) on a background drawn by `background`. */
function scene(width: number, height: number, rect: { x0: number; y0: number; w: number; h: number }, background: (x: number, y: number) => number): RgbImage {
  const random = seededRandom(5);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= rect.x0 && x < rect.x0 + rect.w && y >= rect.y0 && y < rect.y0 + rect.h;
      const v = inside ? 150 + random() * 60 : background(x, y);
      const p = (y * width + x) * 3;
      data[p] = v;
      data[p + 1] = inside ? v * 0.9 : v;
      data[p + 2] = inside ? v * 0.8 : v;
    }
  }
  return { data, width, height };
}

const quadOf = (r: { x0: number; y0: number; w: number; h: number }): Quad => [
  { x: r.x0, y: r.y0 },
  { x: r.x0 + r.w - 1, y: r.y0 },
  { x: r.x0 + r.w - 1, y: r.y0 + r.h - 1 },
  { x: r.x0, y: r.y0 + r.h - 1 },
];

async function forensicsOf(image: RgbImage, location: DocumentLocation) {
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer();
  return runForensics(new Uint8Array(png), image, deskewDocument(image, location, 640), location);
}

describe('screen and glare look at the document, not its surroundings', () => {
  // A small document (480 × 360) in a 1280 × 960 photo whose background is a screen-like grating
  // (period 3.3 px, turned 20°) or a white, clipped desk.
  const rect = { x0: 400, y0: 300, w: 480, h: 360 };
  const grating = (x: number, y: number) => 128 + 100 * Math.sin((2 * Math.PI * (x * Math.cos(0.35) + y * Math.sin(0.35))) / 3.3);
  const outline: DocumentLocation = { corners: quadOf(rect), longSide: 480, shortSide: 360, method: 'outline' };
  const frame: DocumentLocation = { corners: null, longSide: 1280, shortSide: 960, method: 'frame' };

  it('puts every screen window inside a known outline, nearer the middle for a small document', () => {
    const image = { width: 1280, height: 960, data: new Uint8Array(0) };
    const centres = screenWindowCentres(image, quadOf(rect));
    expect(centres.length).toBe(3);
    for (const c of centres) {
      expect(c.x - 128).toBeGreaterThanOrEqual(rect.x0);
      expect(c.x + 128).toBeLessThanOrEqual(rect.x0 + rect.w);
      expect(c.y - 128).toBeGreaterThanOrEqual(rect.y0);
      expect(c.y + 128).toBeLessThanOrEqual(rect.y0 + rect.h);
    }
    expect(screenWindowCentres(image, quadOf({ x0: 0, y0: 0, w: 200, h: 150 }))).toEqual([]);
  });

  it('a grating beside a known document raises no SCREEN_DETECTED; without the outline it does, with lowered confidence and region "image"', async () => {
    const image = scene(1280, 960, rect, grating);
    const inside = await forensicsOf(image, outline);
    expect(inside.warnings.map((w) => w.code)).not.toContain('SCREEN_DETECTED');
    expect(inside.scores.screen).toBeLessThan(0.5);
    const whole = await forensicsOf(image, frame);
    const found = whole.warnings.find((w) => w.code === 'SCREEN_DETECTED');
    expect(found?.params).toMatchObject({ region: 'image', windows: 3 });
    expect(found!.confidence).toBeLessThanOrEqual(WHOLE_IMAGE_CONFIDENCE);
    expect(found!.confidence).toBeCloseTo(whole.scores.screen * WHOLE_IMAGE_CONFIDENCE, 2);
  });

  it('a white desk is not glare on a known document; without the outline GLARE_DETECTED says region "image"', async () => {
    const image = scene(1280, 960, rect, () => 255);
    const inside = await forensicsOf(image, outline);
    expect(inside.warnings.map((w) => w.code)).not.toContain('GLARE_DETECTED');
    const whole = await forensicsOf(image, frame);
    const glare = whole.warnings.find((w) => w.code === 'GLARE_DETECTED');
    expect(glare).toMatchObject({ confidence: WHOLE_IMAGE_CONFIDENCE, params: { region: 'image' } });
  });
});

describe('IMAGE_TOO_BLURRY on phone-like photos (sensor noise, sharpening, JPEG)', () => {
  let td3: RenderedDocument;
  let td1: RenderedDocument;
  beforeAll(async () => {
    td3 = await renderDocument({ format: 'TD3', identity: ICAO_TD3_SPECIMEN });
    td1 = await renderDocument({ format: 'TD1', identity: ICAO_TD1_SPECIMEN, portrait: 2 });
  });

  async function blurOf(document: RenderedDocument, sigma: number, noise: number, documentScale: number) {
    const png = (await photographDocument(document, { blur: sigma, jpegQuality: 'png', rotation: 2, documentScale })).image;
    const image = await decodeImage(await phoneCamera(png, { noise, quality: 80 }), DEFAULT_IMAGE_LIMITS);
    const location = locateDocument(image);
    expect(location.method).toBe('outline');
    return measureBlur(deskewDocument(image, location, 640));
  }

  it.each([
    ['TD3', 0.6],
    ['TD1', 0.6],
    ['TD3', 0.84],
    ['TD1', 0.84],
  ] as const)('a mildly soft photo (σ 1.5) of a %s at scale %s is not flagged, a blurred one (σ 4) is, with noise or without', async (format, scale) => {
    const document = format === 'TD3' ? td3 : td1;
    for (const noise of [0, 3, 8]) {
      expect((await blurOf(document, 1.5, noise, scale)).score, `σ 1.5, noise ${noise}`).toBeLessThan(0.5);
      expect((await blurOf(document, 4, noise, scale)).score, `σ 4, noise ${noise}`).toBeGreaterThanOrEqual(0.5);
    }
  });
});

describe('RECAPTURED_DOCUMENT: a halftoned colour print photographed', () => {
  async function forensicsOfPhoto(document: RenderedDocument, options: Parameters<typeof photographDocument>[1]) {
    const png = (await photographDocument(document, { ...options, jpegQuality: 'png' })).image;
    const bytes = await phoneCamera(png, { noise: 3, quality: 85 });
    const image = await decodeImage(bytes, DEFAULT_IMAGE_LIMITS);
    const location = locateDocument(image);
    return runForensics(new Uint8Array(bytes), image, deskewDocument(image, location, 640), location);
  }
  const codes = (result: Awaited<ReturnType<typeof forensicsOfPhoto>>) => result.warnings.map((w) => w.code);

  it.each([
    ['TD3', 100, 0.6],
    ['TD1', 150, 0.8],
    ['TD3', 200, 0.8],
  ] as const)('a %s printed at %i lpi (document %s of the photo) is a printed copy, not a screen', async (format, lpi, documentScale) => {
    const document = await renderDocument(format === 'TD3' ? { format, identity: ICAO_TD3_SPECIMEN } : { format, identity: ICAO_TD1_SPECIMEN, portrait: 2 });
    const result = await forensicsOfPhoto(await printCopy(document, { lpi }), { documentScale, rotation: 3 });
    const found = result.warnings.find((w) => w.code === 'RECAPTURED_DOCUMENT');
    expect(found, codes(result).join(', ')).toBeDefined();
    expect(found!.params).toMatchObject({ region: 'document' });
    expect(Math.abs(Number(found!.params.asymmetry))).toBeLessThanOrEqual(SQUARE_LATTICE);
    expect(codes(result)).not.toContain('SCREEN_DETECTED');
    expect(result.scores).toMatchObject({ screen: 0, printedCopy: found!.confidence });
  });

  it('the original photographed raises neither; a document on a screen is a screen, not a print', async () => {
    const document = await renderDocument({ format: 'TD1', identity: ICAO_TD1_SPECIMEN, portrait: 2 });
    const original = await forensicsOfPhoto(document, { documentScale: 0.8, rotation: 3 });
    expect(codes(original)).not.toContain('RECAPTURED_DOCUMENT');
    expect(codes(original)).not.toContain('SCREEN_DETECTED');
    const screen = await forensicsOfPhoto(document, { screen: true, rotation: 4, documentScale: 0.9 });
    expect(codes(screen)).toContain('SCREEN_DETECTED');
    expect(codes(screen)).not.toContain('RECAPTURED_DOCUMENT');
    expect(screen.scores.printedCopy).toBe(0);
  });
});
