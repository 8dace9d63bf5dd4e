// `node dist/bench/faces-recall.js`: recall of small faces, two cases of issue 12.
// 1. The portrait on an ID card photographed whole: each of the 22 faces of the face-api demo
//    photos is cut as a selfie, shrunk so the face is N pixels wide, pasted at the portrait position
//    of a synthetic ID-1 card lying on a desk in a 1600×1200 photo, and searched with each strategy.
// 2. A selfie holding an ID card: each face-api group photo with a generated TD1 card (the
//    document generator's, portrait of someone not in the photo) held in the frame, slightly turned;
//    every face must be found, the card's small portrait included.
// A face counts as found when a detected box overlaps it with IoU ≥ 0.3. `--held-card` runs case 2 only.
import sharp from 'sharp';
import { PORTRAIT_SOURCES, renderDocument } from '../inference/documents/testing/document-generator.js';
import { ICAO_TD1_SPECIMEN } from '../inference/documents/testing/mrz-builder.js';
import { type AnalyzeFacesOptions, type Box, createInference, type FaceSearch, type Inference } from '../inference/index.js';
import { cropSelfie, readDemoPhoto } from './faces-fixtures.js';

const PHOTOS = ['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg'];
const FACE_WIDTHS = [20, 30, 45, 60, 90];
const SEARCHES: FaceSearch[] = ['fast', 'thorough'];
const CANVAS = { width: 1600, height: 1200 };

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

async function main(): Promise<void> {
  // `--held-card`: only the second table.
  const heldCardOnly = process.argv.includes('--held-card');
  const inference = await createInference({ documents: false });
  try {
    if (heldCardOnly) return await heldCard(inference);
    const selfies: Array<{ image: Buffer; face: Box; width: number }> = [];
    for (const name of PHOTOS) {
      const photo = await readDemoPhoto(name);
      for (const face of (await inference.analyzeFaces(photo, { search: 'fast' })).faces) {
        const image = await cropSelfie(photo, face.box);
        const analysed = await inference.analyzeFaces(image, { search: 'fast' });
        const own = analysed.faces.find((f) => f.box.width > face.box.width * 0.6);
        if (!own) continue;
        selfies.push({ image, face: own.box, width: analysed.width });
      }
    }
    console.log(`${selfies.length} faces; canvas ${CANVAS.width}×${CANVAS.height}; found = IoU ≥ 0.3 with the pasted face`);
    console.log(`| face width px | ${SEARCHES.map((s) => `${s}: found / ms per image`).join(' | ')} |`);
    console.log(`| ---: | ${SEARCHES.map(() => '---').join(' | ')} |`);
    for (const faceWidth of FACE_WIDTHS) {
      const cells: string[] = [];
      for (const search of SEARCHES) {
        let found = 0;
        let falsePositives = 0;
        let ms = 0;
        for (const [i, selfie] of selfies.entries()) {
          const scale = faceWidth / selfie.face.width;
          const portraitWidth = Math.max(1, Math.round(selfie.width * scale));
          const portrait = await sharp(selfie.image).resize(portraitWidth).toBuffer();
          // Card: 4.5 portrait widths wide, ID-1 aspect; placed at a varying spot on the desk.
          const cardWidth = Math.round(portraitWidth * 4.5);
          const cardHeight = Math.round(cardWidth * 0.63);
          const cardLeft = Math.round(((CANVAS.width - cardWidth) * ((i * 37) % 100)) / 100);
          const cardTop = Math.round(((CANVAS.height - cardHeight) * ((i * 53) % 100)) / 100);
          const portraitLeft = cardLeft + Math.round(cardWidth * 0.06);
          const portraitTop = cardTop + Math.round(cardHeight * 0.15);
          const card = await sharp({ create: { width: cardWidth, height: cardHeight, channels: 3, background: '#e8e4d8' } }).png().toBuffer();
          const image = await sharp({ create: { ...CANVAS, channels: 3, background: '#4a3b2c' } })
            .composite([
              { input: card, left: cardLeft, top: cardTop },
              { input: portrait, left: portraitLeft, top: portraitTop },
            ])
            .jpeg({ quality: 90 })
            .toBuffer();
          const expected: Box = {
            x: portraitLeft + selfie.face.x * scale,
            y: portraitTop + selfie.face.y * scale,
            width: selfie.face.width * scale,
            height: selfie.face.height * scale,
          };
          const t = performance.now();
          const { faces } = await inference.analyzeFaces(image, { search, minFaceSize: Math.min(30, faceWidth) });
          ms += performance.now() - t;
          const hit = faces.some((f) => iou(f.box, expected) >= 0.3);
          if (hit) found++;
          falsePositives += faces.filter((f) => iou(f.box, expected) < 0.3).length;
        }
        cells.push(`${found}/${selfies.length}${falsePositives ? ` (+${falsePositives} false)` : ''} / ${(ms / selfies.length).toFixed(0)} ms`);
      }
      console.log(`| ${faceWidth} | ${cells.join(' | ')} |`);
    }
    await heldCard(inference);
  } finally {
    await inference.dispose();
  }
}

/** Faces the group photos hold (as in the tests' fixtures). */
const PHOTO_FACES: Readonly<Record<string, number>> = { 'sample1.jpg': 3, 'sample2.jpg': 3, 'sample3.jpg': 3, 'sample4.jpg': 4, 'sample5.jpg': 5, 'sample6.jpg': 4 };
/** Card widths in the 1920×1280 frame: the portrait's face is about 0.15 of the card's width. */
const CARD_WIDTHS = [240, 320, 420];

async function heldCard(inference: Inference): Promise<void> {
  const modes: Array<[string, (card: Box) => AnalyzeFacesOptions]> = [
    ['auto', () => ({ search: 'auto' })],
    ['thorough', () => ({ search: 'thorough' })],
    ['thorough, region = the card', (card) => ({ search: 'thorough', region: card })],
  ];
  console.log('\nselfie holding an ID card: face-api group photo (1920×1280) + generated TD1 card, turned 4°');
  console.log(`| card width px (portrait face px) | ${modes.map(([m]) => `${m}: card face / photo faces / ms`).join(' | ')} |`);
  console.log(`| ---: | ${modes.map(() => '---').join(' | ')} |`);
  for (const cardWidth of CARD_WIDTHS) {
    const found = modes.map(() => ({ card: 0, photo: 0, photoTotal: 0, extra: 0, ms: 0 }));
    let portraitFace = 0;
    for (const [i, name] of PHOTOS.entries()) {
      // A portrait of someone from another photo, so the card's face is a face of its own.
      const portrait = PORTRAIT_SOURCES.findIndex((p, k) => k >= i && p.file !== name);
      const document = await renderDocument({ format: 'TD1', identity: ICAO_TD1_SPECIMEN, portrait: portrait < 0 ? 0 : portrait });
      // Where the portrait's face is on the flat card: found on the card alone, at full size.
      const flat = (await inference.analyzeFaces(document.png, { search: 'fast' })).faces[0];
      if (!flat) throw new Error(`no face on the generated card ${i}`);
      const scale = cardWidth / document.width;
      const card = await sharp(document.png).resize(cardWidth).rotate(4, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer();
      const { width: cw = 0, height: ch = 0 } = await sharp(card).metadata();
      const left = i % 2 === 0 ? 120 : 1920 - cw - 120;
      const top = 1280 - ch - 90;
      const frame = await sharp(await readDemoPhoto(name)).composite([{ input: card, left, top }]).jpeg({ quality: 90 }).toBuffer();
      // The face box turned with the card about its centre (sharp rotates clockwise about the centre and grows the canvas).
      const theta = (4 * Math.PI) / 180;
      const [fx, fy] = [(flat.box.x + flat.box.width / 2) * scale - (document.width * scale) / 2, (flat.box.y + flat.box.height / 2) * scale - (document.height * scale) / 2];
      const side = flat.box.width * scale;
      const expected: Box = { x: left + cw / 2 + fx * Math.cos(theta) - fy * Math.sin(theta) - side / 2, y: top + ch / 2 + fx * Math.sin(theta) + fy * Math.cos(theta) - side / 2, width: side, height: side };
      portraitFace += flat.size * scale;
      for (const [m, [, options]] of modes.entries()) {
        const t = performance.now();
        const { faces } = await inference.analyzeFaces(frame, options({ x: left, y: top, width: cw, height: ch }));
        found[m]!.ms += performance.now() - t;
        if (faces.some((f) => iou(f.box, expected) >= 0.3)) found[m]!.card++;
        const others = faces.filter((f) => iou(f.box, expected) < 0.3);
        found[m]!.photo += Math.min(others.length, PHOTO_FACES[name]!);
        found[m]!.photoTotal += PHOTO_FACES[name]!;
        found[m]!.extra += Math.max(0, others.length - PHOTO_FACES[name]!);
      }
    }
    const cells = found.map((f, m) => (m === 2 ? `${f.card}/${PHOTOS.length} / – / ${(f.ms / PHOTOS.length).toFixed(0)}` : `${f.card}/${PHOTOS.length} / ${f.photo}/${f.photoTotal}${f.extra ? ` (+${f.extra})` : ''} / ${(f.ms / PHOTOS.length).toFixed(0)}`));
    console.log(`| ${cardWidth} (${(portraitFace / PHOTOS.length).toFixed(0)}) | ${cells.join(' | ')} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
