import sharp from 'sharp';
import type { RgbImage } from '../image/rgb-image.js';
import type { DocumentLocation, DocumentWarning, ForensicScores } from '../documents/document.types.js';
import { warning } from '../documents/document-warnings.js';
import { measureBlur } from './blur.forensic.js';
import { measureColour } from './colour.forensic.js';
import { findEditor } from './editor.forensic.js';
import { measureGlare } from './glare.forensic.js';
import { measureScreen } from './screen.forensic.js';

/** Score at and above which a forensic check raises its warning. */
export const FORENSIC_THRESHOLD = 0.5;

/** Forensic scores and the warnings they raise. */
export interface ForensicsResult {
  readonly scores: ForensicScores;
  readonly warnings: DocumentWarning[];
}

/**
 * Runs every image forensic check: blur, glare and colour on the deskewed document, screen
 * recapture on native-resolution windows inside it, editor tags in the file's metadata.
 * docs/DOCUMENTS.md says what each can and cannot catch.
 */
export async function runForensics(bytes: Uint8Array, image: RgbImage, deskewed: RgbImage, location: DocumentLocation): Promise<ForensicsResult> {
  const metadata = await sharp(bytes).metadata();
  const blur = measureBlur(deskewed);
  const glare = measureGlare(deskewed);
  const colour = measureColour(deskewed);
  const editor = findEditor(metadata.exif, metadata.xmp);
  const c = location.corners;
  const centre = c ? { x: (c[0].x + c[1].x + c[2].x + c[3].x) / 4, y: (c[0].y + c[1].y + c[2].y + c[3].y) / 4 } : { x: image.width / 2, y: image.height / 2 };
  // Three windows along the document's long axis: the portrait, the middle and the data side.
  const axis = c ? { x: (c[1].x - c[0].x) / 4, y: (c[1].y - c[0].y) / 4 } : { x: image.width / 4, y: 0 };
  const screen = measureScreen(image, [centre, { x: centre.x - axis.x, y: centre.y - axis.y }, { x: centre.x + axis.x, y: centre.y + axis.y }]);

  const warnings: DocumentWarning[] = [];
  if (blur.score >= FORENSIC_THRESHOLD) {
    warnings.push(warning('IMAGE_TOO_BLURRY', 'MEDIUM', blur.score, 'The document image is too blurry and should be retaken for improved result accuracy.', { sharpness: Math.round(blur.sharpness) }));
  }
  if (glare.score >= FORENSIC_THRESHOLD) {
    warnings.push(warning('GLARE_DETECTED', 'LOW', glare.score, 'The document image contains possible glare.', { area: Math.round(glare.area * 1000) / 1000 }));
  }
  if (colour.score >= FORENSIC_THRESHOLD) {
    warnings.push(warning('BLACK_WHITE_DOCUMENT', 'MEDIUM', colour.score, 'The document appears to be black & white photocopy.', { chroma: colour.chroma }));
  }
  if (editor.editor) {
    warnings.push(warning('IMAGE_EDITED', 'HIGH', editor.score, `The document image contains exif header indicating that it was edited in ${editor.editor}`, { editor: editor.editor, software: editor.software }));
  }
  if (screen.score >= FORENSIC_THRESHOLD) {
    warnings.push(warning('SCREEN_DETECTED', 'HIGH', screen.score, 'The document image contains a screen, monitor or mobile device therefore is possibly recaptured.', { peakRatio: Math.round(screen.peakRatio * 100) / 100 }));
  }
  return {
    scores: {
      sharpness: Math.round(blur.sharpness),
      blur: round(blur.score),
      glareArea: round(glare.area),
      glare: round(glare.score),
      colourfulness: colour.chroma,
      blackAndWhite: round(colour.score),
      editor: editor.editor,
      screen: round(screen.score),
    },
    warnings,
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
