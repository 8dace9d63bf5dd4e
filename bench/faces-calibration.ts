// `node dist/bench/faces-calibration.js`: the data behind FACE_MATCH_THRESHOLD (docs/MODELS.md).
// Only 22 faces of about 20 people ship in npm packages, so this is a sanity check of the
// threshold, not a calibration in the statistical sense:
// - same person, same photo: each selfie against 8 re-captures of itself (crop, scale, JPEG 20,
//   brightness ±, ±8° rotation, greyscale PNG) — optimistic, no change of pose, age or camera;
// - different people, certain: every pair of faces standing in the same photo;
// - different photos: every cross-photo pair, mostly different people, a few possibly not
//   (the demo photos reuse models; the top pairs are printed to be looked at).
import sharp from 'sharp';
import { compareEmbeddings, createInference, FACE_MATCH_THRESHOLD } from '../inference/index.js';
import { cropSelfie, readDemoPhoto } from './faces-fixtures.js';

const PHOTOS = ['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg'];
const VARIANTS: Array<[string, (b: Buffer) => Promise<Buffer>]> = [
  ['crop', async (b) => {
    const { width = 0, height = 0 } = await sharp(b).metadata();
    return sharp(b).extract({ left: Math.round(width * 0.1), top: Math.round(height * 0.05), width: Math.round(width * 0.85), height: Math.round(height * 0.9) }).jpeg().toBuffer();
  }],
  ['half', async (b) => sharp(b).resize(Math.round(((await sharp(b).metadata()).width ?? 2) / 2)).jpeg().toBuffer()],
  ['jpeg20', (b) => sharp(b).jpeg({ quality: 20 }).toBuffer()],
  ['bright', (b) => sharp(b).modulate({ brightness: 1.35 }).jpeg().toBuffer()],
  ['dark', (b) => sharp(b).modulate({ brightness: 0.65 }).jpeg().toBuffer()],
  ['rot+8', (b) => sharp(b).rotate(8, { background: '#808080' }).jpeg().toBuffer()],
  ['rot-8', (b) => sharp(b).rotate(-8, { background: '#808080' }).jpeg().toBuffer()],
  ['grey', (b) => sharp(b).greyscale().png().toBuffer()],
];

function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(3);
  return `n=${s.length} min ${q(0)} p5 ${q(0.05)} p50 ${q(0.5)} p95 ${q(0.95)} max ${s[s.length - 1]!.toFixed(3)}`;
}

async function main(): Promise<void> {
  const inference = await createInference();
  try {
    const faces: Array<{ photo: string; index: number; embedding: number[]; selfie: Buffer }> = [];
    for (const photo of PHOTOS) {
      const bytes = await readDemoPhoto(photo);
      const analysis = await inference.analyzeFaces(bytes, { search: 'fast' });
      for (const [index, face] of analysis.faces.entries()) faces.push({ photo, index, embedding: face.embedding!, selfie: await cropSelfie(bytes, face.box) });
    }
    const genuine: number[] = [];
    const byVariant = new Map<string, number[]>();
    for (const face of faces) {
      for (const [name, make] of VARIANTS) {
        const result = await inference.compareFaces(face.selfie, await make(face.selfie));
        genuine.push(result.similarity);
        byVariant.set(name, [...(byVariant.get(name) ?? []), result.similarity]);
      }
    }
    const samePhoto: number[] = [];
    const crossPhoto: Array<[number, string]> = [];
    for (let i = 0; i < faces.length; i++) {
      for (let j = i + 1; j < faces.length; j++) {
        const { similarity } = compareEmbeddings(faces[i]!.embedding, faces[j]!.embedding);
        if (faces[i]!.photo === faces[j]!.photo) samePhoto.push(similarity);
        else crossPhoto.push([similarity, `${faces[i]!.photo}#${faces[i]!.index} ~ ${faces[j]!.photo}#${faces[j]!.index}`]);
      }
    }
    console.log(`faces: ${faces.length}`);
    console.log(`same person, re-captured:        ${summary(genuine)}`);
    for (const [name, values] of byVariant) console.log(`  ${name.padEnd(8)} ${summary(values)}`);
    console.log(`different people, same photo:    ${summary(samePhoto)}`);
    console.log(`different photos (unlabelled):   ${summary(crossPhoto.map(([s]) => s))}`);
    console.log('highest cross-photo pairs:');
    for (const [s, label] of crossPhoto.sort((a, b) => b[0] - a[0]).slice(0, 5)) console.log(`  ${s.toFixed(3)}  ${label}`);
    console.log('\n| threshold | FRR re-captures | FAR same photo | FAR cross-photo (unlabelled) |\n| ---: | ---: | ---: | ---: |');
    for (const t of [0.3, 0.35, 0.4, FACE_MATCH_THRESHOLD, 0.5, 0.55, 0.6, 0.7]) {
      const frr = genuine.filter((s) => s < t).length;
      const far = samePhoto.filter((s) => s >= t).length;
      const farX = crossPhoto.filter(([s]) => s >= t).length;
      console.log(`| ${t.toFixed(2)}${t === FACE_MATCH_THRESHOLD ? ' (chosen)' : ''} | ${frr}/${genuine.length} | ${far}/${samePhoto.length} | ${farX}/${crossPhoto.length} |`);
    }
  } finally {
    await inference.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
