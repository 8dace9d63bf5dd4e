import sharp from 'sharp';
import type { RgbImage } from '../image/rgb-image.js';
import type { DocumentLocation, DocumentWarning, ForensicScores } from '../documents/document.types.js';
import { warning } from '../documents/document-warnings.js';
import { type Point2, type Quad, insideQuad } from '../documents/localization/perspective.js';
import { measureBlur } from './blur.forensic.js';
import { measureColour } from './colour.forensic.js';
import { findEditor } from './editor.forensic.js';
import { measureGlare } from './glare.forensic.js';
import { SCREEN_WINDOW, measureScreen } from './screen.forensic.js';

/** Score at and above which a forensic check raises its warning. */
export const FORENSIC_THRESHOLD = 0.5;

/**
 * Share of a pixel check's confidence kept when the document's outline was not found: the check
 * then saw the whole photo, and a white desk (glare), a monitor or a patterned cloth beside the
 * document (screen), or an empty background (blur) speak for the surroundings, not the document.
 */
export const WHOLE_IMAGE_CONFIDENCE = 0.6;

/** Forensic scores and the warnings they raise. */
export interface ForensicsResult {
  readonly scores: ForensicScores;
  readonly warnings: DocumentWarning[];
}

/**
 * Runs every image forensic check: blur, glare and colour on the deskewed document, screen
 * recapture and printed copy (a periodic pattern: a display's grid, or a square lattice of print
 * dots) on native-resolution windows inside it, editor tags in the file's metadata. When the
 * outline was not found the pixel checks see the whole photo: their warnings then carry
 * `region: 'image'` and {@link WHOLE_IMAGE_CONFIDENCE} of their score as confidence.
 * docs/DOCUMENTS.md says what each can and cannot catch.
 */
export async function runForensics(bytes: Uint8Array, image: RgbImage, deskewed: RgbImage, location: DocumentLocation): Promise<ForensicsResult> {
  const metadata = await sharp(bytes).metadata();
  const outline = location.method === 'outline' ? location.corners : null;
  const blur = measureBlur(deskewed);
  const glare = measureGlare(deskewed);
  const colour = measureColour(deskewed);
  const editor = findEditor(metadata.exif, metadata.xmp);
  const screen = measureScreen(image, screenWindowCentres(image, outline));

  const region = outline ? { region: 'document' } : { region: 'image' };
  const confidence = (score: number) => (outline ? score : score * WHOLE_IMAGE_CONFIDENCE);
  const warnings: DocumentWarning[] = [];
  if (blur.score >= FORENSIC_THRESHOLD) {
    warnings.push(warning('IMAGE_TOO_BLURRY', 'MEDIUM', confidence(blur.score), 'The document image is too blurry and should be retaken for improved result accuracy.', { sharpness: Math.round(blur.sharpness * 10) / 10, ...region }));
  }
  if (glare.score >= FORENSIC_THRESHOLD) {
    warnings.push(warning('GLARE_DETECTED', 'LOW', confidence(glare.score), 'The document image contains possible glare.', { area: Math.round(glare.area * 1000) / 1000, ...region }));
  }
  if (colour.score >= FORENSIC_THRESHOLD) {
    warnings.push(warning('BLACK_WHITE_DOCUMENT', 'MEDIUM', confidence(colour.score), 'The document appears to be black & white photocopy.', { chroma: colour.chroma, ...region }));
  }
  if (editor.editor) {
    warnings.push(warning('IMAGE_EDITED', 'HIGH', editor.score, `The document image contains exif header indicating that it was edited in ${editor.editor}`, { editor: editor.editor, software: editor.software }));
  }
  // One periodic-pattern measure, two causes told apart by the lattice's symmetry (screen.forensic.ts).
  const pattern = { peakRatio: Math.round(screen.peakRatio * 100) / 100, asymmetry: Math.round(screen.asymmetry * 100) / 100, windows: screen.windows, ...region };
  if (screen.score >= FORENSIC_THRESHOLD && screen.halftone) {
    warnings.push(warning('RECAPTURED_DOCUMENT', 'HIGH', confidence(screen.score), 'The document appears to be a printed copy (halftone print dots), not the original.', pattern));
  } else if (screen.score >= FORENSIC_THRESHOLD) {
    warnings.push(warning('SCREEN_DETECTED', 'HIGH', confidence(screen.score), 'The document image contains a screen, monitor or mobile device therefore is possibly recaptured.', pattern));
  }
  return {
    scores: {
      sharpness: Math.round(blur.sharpness * 10) / 10,
      blur: round(blur.score),
      glareArea: round(glare.area),
      glare: round(glare.score),
      colourfulness: colour.chroma,
      blackAndWhite: round(colour.score),
      editor: editor.editor,
      screen: round(screen.halftone ? 0 : screen.score),
      printedCopy: round(screen.halftone ? screen.score : 0),
    },
    warnings,
  };
}

/**
 * Centres of the screen check's windows: on the document's long axis (portrait, middle, data side),
 * each window wholly inside the outline, so that a monitor or a patterned desk beside the document
 * is not analysed; nearer the middle when the document is small; none when no window fits. Without
 * an outline: the middle of the photo and a quarter of its width to either side.
 */
export function screenWindowCentres(image: RgbImage, outline: Quad | null): Point2[] {
  if (!outline) {
    const middle = { x: image.width / 2, y: image.height / 2 };
    return [middle, { x: middle.x - image.width / 4, y: middle.y }, { x: middle.x + image.width / 4, y: middle.y }];
  }
  const middle = { x: outline.reduce((s, p) => s + p.x, 0) / 4, y: outline.reduce((s, p) => s + p.y, 0) / 4 };
  const [a, b, , d] = outline;
  // The long axis: the top edge, or the left one for a document lying in portrait orientation.
  const axis = Math.hypot(b.x - a.x, b.y - a.y) >= Math.hypot(d.x - a.x, d.y - a.y) ? { x: b.x - a.x, y: b.y - a.y } : { x: d.x - a.x, y: d.y - a.y };
  const along = (share: number) => ({ x: middle.x + axis.x * share, y: middle.y + axis.y * share });
  const half = SCREEN_WINDOW / 2;
  const fits = (c: Point2) => [[-half, -half], [half, -half], [half, half], [-half, half]].every(([dx, dy]) => insideQuad(outline, { x: c.x + dx!, y: c.y + dy! }));
  const centres = [middle, along(-0.25), along(0.25)].filter(fits);
  return centres.length === 3 ? centres : [middle, along(-0.12), along(0.12)].filter(fits);
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
