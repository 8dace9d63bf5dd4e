// `npm run samples`: writes the two images of the README's first verification into samples/ (committed, so a
// newcomer has them before anything runs): a passport of the ICAO 9303 specimen holder, valid until 2034, drawn
// by the test-document generator with the fonts in test/fixtures/fonts and photographed on a desk, and a selfie
// of the person on its portrait. Both faces come from one MIT-licensed demo photo of `@vladmandic/face-api`
// (samples/README.md). The same recipe as test/api/end-to-end.test.ts, whose holder the engine passes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { cropSelfie, readDemoPhoto } from '../bench/faces-fixtures.js';
import { PORTRAIT_SOURCES, photographDocument, renderDocument } from '../inference/documents/testing/document-generator.js';
import { ICAO_TD3_SPECIMEN } from '../inference/documents/testing/mrz-builder.js';

async function main(): Promise<void> {
  // Run compiled (`npm run samples`): dist/scripts/ is two levels below the package root.
  const dir = fileURLToPath(new URL('../../samples/', import.meta.url));
  const holder = PORTRAIT_SOURCES[0]!;
  const document = await renderDocument({ format: 'TD3', identity: { ...ICAO_TD3_SPECIMEN, expiryDate: '340415' }, portrait: 0 });
  const passport = (await photographDocument(document, { seed: 3 })).image;
  // Mirrored as front cameras show a face: a new capture of the person, not the portrait's own pixels (which the
  // engine would call FACE_IDENTICAL).
  const selfie = await sharp(await cropSelfie(await readDemoPhoto(holder.file), holder.box)).flop().jpeg({ quality: 92 }).toBuffer();
  await writeFile(join(dir, 'passport.jpg'), passport);
  await writeFile(join(dir, 'selfie.jpg'), selfie);
  console.log(`wrote ${join(dir, 'passport.jpg')} (${passport.length} B, MRZ ${document.mrz.join(' / ')}) and ${join(dir, 'selfie.jpg')} (${selfie.length} B)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
