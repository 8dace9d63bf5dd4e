import sharp from 'sharp';
import { PORTRAIT_SOURCES, photographDocument, renderDocument, type GeneratedFormat } from '../../inference/documents/testing/document-generator.js';
import { ICAO_TD3_SPECIMEN, type DocumentIdentity } from '../../inference/documents/testing/mrz-builder.js';
import { readSample, selfieFrom, type FixtureBox } from '../fixtures/faces/face-fixtures.js';

/** The ICAO 9303 specimen passport holder (born 1974), with a document valid until 2034. */
export const PASSPORT: DocumentIdentity = { ...ICAO_TD3_SPECIMEN, expiryDate: '340415' };

/** What to generate: a document of `identity` whose portrait is {@link PORTRAIT_SOURCES}[`portrait`]. */
export interface DocumentRecipe {
  identity: DocumentIdentity;
  portrait?: number;
  format?: GeneratedFormat;
  breakCheck?: 'documentNumber' | 'birthDate' | 'expiryDate' | 'composite';
  /** Paints the portrait over (a document without a face). */
  withoutPortrait?: boolean;
}

/** A generated document (inference/documents/testing), photographed on a desk. */
export async function documentPhoto(recipe: DocumentRecipe): Promise<Buffer> {
  const rendered = await renderDocument({ format: recipe.format ?? 'TD3', identity: recipe.identity, portrait: recipe.portrait ?? 0, breakCheck: recipe.breakCheck });
  if (!recipe.withoutPortrait) return (await photographDocument(rendered, { seed: 3 })).image;
  const { x, y, width, height } = rendered.portraitBox;
  // A coloured patch (a grey one would make the page read as a black-and-white copy: the portrait carries its colour).
  const patch = { create: { width, height, channels: 3 as const, background: '#c9a27e' } };
  const png = await sharp(rendered.png).composite([{ input: patch, left: x, top: y }]).png().toBuffer();
  return (await photographDocument({ ...rendered, png }, { seed: 3 })).image;
}

/** The person on portrait `index` as the demo photo shows them, cut as a selfie. */
export async function demoSelfie(index: number): Promise<Buffer> {
  const source = PORTRAIT_SOURCES[index]!;
  return selfieFrom(await readSample(source.file), source.box);
}

/**
 * A selfie of the person on portrait `index`, mirrored as front cameras show it: a new capture of the face rather
 * than the document's pixels (the portraits are cut from the same demo photos).
 */
export async function holderSelfie(index = 0): Promise<Buffer> {
  return sharp(await demoSelfie(index)).flop().jpeg({ quality: 92 }).toBuffer();
}

/** `selfie` with the flat document `recipe` held up beside the face, the document 380 px wide (portrait face ≈ 55 px). */
export async function selfieWithDocument(selfie: Buffer, recipe: DocumentRecipe): Promise<Buffer> {
  const rendered = await renderDocument({ format: recipe.format ?? 'TD3', identity: recipe.identity, portrait: recipe.portrait ?? 0 });
  const doc = await sharp(rendered.png).resize({ width: 380 }).toBuffer();
  const { width: sw = 0, height: sh = 0 } = await sharp(selfie).metadata();
  const { height: dh = 0 } = await sharp(doc).metadata();
  const width = sw + 320;
  const height = Math.max(sh, dh + 200);
  return sharp({ create: { width, height, channels: 3, background: '#8a8f96' } })
    .composite([{ input: selfie, left: 0, top: 0 }, { input: doc, left: width - 380, top: height - dh - 20 }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** The region of `photo` around `box` as a selfie (the same crop as the face fixtures). */
export function cropAround(photo: Buffer, box: FixtureBox): Promise<Buffer> {
  return selfieFrom(photo, box);
}

/** A photo without any face (a desk, a wall): every selfie rule must say so. */
export function faceless(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#6a8caf' } }).jpeg().toBuffer();
}

/** A group photo of three people of similar size (face-api demo `sample2.jpg`). */
export function groupPhoto(): Promise<Buffer> {
  return readSample('sample2.jpg');
}
