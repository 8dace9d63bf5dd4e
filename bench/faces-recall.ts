// `node dist/bench/faces-recall.js`: recall of small faces, the "portrait on an ID card
// photographed whole" case of issue 12. Each of the 22 faces of the face-api demo photos is cut
// as a selfie, shrunk so the face is N pixels wide, pasted at the portrait position of a synthetic
// ID-1 card lying on a desk in a 1600×1200 photo, and searched with each strategy. A face counts
// as found when a detected box overlaps the pasted face with IoU ≥ 0.3.
import sharp from 'sharp';
import { type Box, createInference, type FaceSearch } from '../inference/index.js';
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
  const inference = await createInference();
  try {
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
  } finally {
    await inference.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
