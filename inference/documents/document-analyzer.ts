import sharp from 'sharp';
import type { DecodedImage } from '../image/image-decoder.js';
import type { RgbImage } from '../image/rgb-image.js';
import { runForensics } from '../forensics/document-forensics.js';
import { fieldsFromMrz } from './document-fields.js';
import { fieldWarnings, warning } from './document-warnings.js';
import type { AnalyzeDocumentOptions, DocumentAnalysis, DocumentFieldName, DocumentTimings, DocumentWarning } from './document.types.js';
import { deskewDocument, frameCorners, locateDocument, warpQuad } from './localization/document-locator.js';
import { isUpright, mrzReadingAngle, orientationOf, textReadingAngle, uprightQuad } from './localization/document-orientation.js';
import { documentQuadFromMrz } from './localization/mrz-extent.js';
import { applyHomography, type Homography, insideQuad, type Quad } from './localization/perspective.js';
import { searchMrz } from './mrz-search.js';
import { crossCheckViz } from './viz/viz-cross-check.js';
import { fieldsFromViz, kindFromViz, MIN_VIZ_FIELDS } from './viz/viz-fields.js';
import { readVisualZone } from './viz/viz-reader.js';
import { countryName } from './mrz/mrz-countries.js';
import type { OcrModels } from './ocr/ocr-models.js';
import { detectText } from './ocr/text-detector.js';
import { documentKindOf } from './document-fields.js';

/** DESIGN.md §4 and reference 000: a document must span at least 200 px on its long side. */
export const MIN_DOCUMENT_SIDE = 200;

/** Defaults of {@link AnalyzeDocumentOptions} (except `now`, which is the call's time). */
export const DOCUMENT_DEFAULTS = {
  requiredFields: ['surname', 'documentNumber', 'birthDate', 'expiryDate'] as readonly DocumentFieldName[],
  lowConfidence: 0.6,
  portrait: true,
  detectMaxSide: 960,
  visualZone: true,
};

/** What the document task returns: everything but the portrait, which the face pipeline adds, and where to search it. */
export type DocumentTaskOutput = Omit<DocumentAnalysis, 'portrait' | 'side' | 'timings'> & {
  timings: Omit<DocumentTimings, 'portrait' | 'total'>;
  /** The document cut out and turned upright (JPEG), and the map from its pixels back to the photo's. */
  portraitSearch: { image: Uint8Array; toPhoto: Homography };
};

/** Long side the document is deskewed to for the pixel forensics. */
const FORENSICS_SIDE = 640;

/**
 * The document pipeline on one decoded upload: size acceptance, localisation and deskew,
 * forensics, text detection, MRZ reading with correction and parsing, orientation (from the MRZ,
 * or the text lines without one) and the upright document crop the portrait is searched on,
 * fields, the visual zone cross-checked with the MRZ, derived warnings.
 */
export async function analyzeDecodedDocument(models: OcrModels, image: DecodedImage, bytes: Uint8Array, options: AnalyzeDocumentOptions = {}): Promise<DocumentTaskOutput> {
  const now = options.now === undefined ? new Date() : new Date(options.now);
  if (Number.isNaN(now.getTime())) throw new RangeError('options.now is not a date');
  const timings = { decode: image.decodeMs, localize: 0, forensics: 0, detect: 0, recognize: 0, orient: 0, viz: 0 };
  const warnings: DocumentWarning[] = [];

  const imageSide = Math.max(image.width, image.height);
  if (imageSide < MIN_DOCUMENT_SIDE) {
    warnings.push(warning('IMAGE_TOO_SMALL', 'MEDIUM', 1, 'The document image is too small and unlikely to be a genuine document.', { longSide: imageSide, minimum: MIN_DOCUMENT_SIDE }));
  }

  let t = performance.now();
  const location = locateDocument(image);
  const deskewed = deskewDocument(image, location, Math.min(FORENSICS_SIDE, Math.max(MIN_DOCUMENT_SIDE, Math.round(location.longSide))));
  timings.localize = performance.now() - t;
  if (location.method === 'outline' && location.longSide < MIN_DOCUMENT_SIDE) {
    warnings.push(warning('DOCUMENT_TOO_SMALL', 'MEDIUM', 1, 'The document is smaller than 200 px on its long side.', { longSide: Math.round(location.longSide), minimum: MIN_DOCUMENT_SIDE }));
  }

  t = performance.now();
  const forensics = await runForensics(bytes, image, deskewed, location);
  timings.forensics = performance.now() - t;
  warnings.push(...forensics.warnings);

  const search = await searchMrz(models, image, location, options.detectMaxSide ?? DOCUMENT_DEFAULTS.detectMaxSide);
  const { boxes, mrz } = search;
  timings.detect = search.detectMs;
  timings.recognize = search.recognizeMs;

  t = performance.now();
  const orientation = mrz
    ? orientationOf(mrzReadingAngle(mrz.boxes, mrz.flipped), 'mrz')
    : orientationOf(await textReadingAngle(models, image, boxes), 'text');
  const angle = (orientation.angle * Math.PI) / 180;
  // An outline that does not hold the MRZ is something else (a page, a reflection, the desk): the MRZ knows better.
  const outline = location.corners && (!mrz || mrz.boxes.every((quad) => quad.every((p) => insideQuad(grown(location.corners!, OUTLINE_SLACK), p)))) ? location.corners : null;
  const extent = outline || !mrz ? undefined : documentQuadFromMrz(mrz.format, mrz.boxes, angle);
  const corners = outline ? uprightQuad(outline, angle) : (extent?.corners ?? null);
  if (extent && extent.longSide < MIN_DOCUMENT_SIDE) {
    // Estimated, not measured: confidence below the outline's 1.
    warnings.push(warning('DOCUMENT_TOO_SMALL', 'MEDIUM', 0.8, 'The document is smaller than 200 px on its long side.', { longSide: Math.round(extent.longSide), minimum: MIN_DOCUMENT_SIDE, estimatedFrom: 'mrz' }));
  }
  const upright = corners ?? uprightQuad(frameCorners(image), angle);
  const portraitSide = Math.min(corners ? PORTRAIT_SIDE : FRAME_PORTRAIT_SIDE, Math.round(Math.max(...edgeLengths(upright))));
  const crop = warpQuad(image, upright, portraitSide);
  const portraitSearch = { image: await encodeJpeg(crop.image), toPhoto: crop.toSource };
  timings.orient = performance.now() - t;

  t = performance.now();
  let fields = mrz ? fieldsFromMrz(mrz, now) : [];
  let kind = mrz ? documentKindOf(mrz.fields.documentCode) : 'UNKNOWN';
  if (options.visualZone ?? DOCUMENT_DEFAULTS.visualZone) {
    // Turned a quarter or more, the photo's detector boxes merge small captions with their values:
    // detect again on the upright crop, where the print runs the way the detector was trained on.
    const mrzBoxes = mrz?.boxes ?? [];
    const lines = isUpright(orientation)
      ? await readVisualZone(models, image, boxes, { document: corners, mrzBoxes, angle })
      : await readVisualZone(models, crop.image, await detectText(models.detect, crop.image, { maxSide: options.detectMaxSide ?? DOCUMENT_DEFAULTS.detectMaxSide }), {
          document: null,
          mrzBoxes: mrzBoxes.map((quad) => quad.map((p) => applyHomography(crop.fromSource, p)) as unknown as Quad),
          angle: 0,
        });
    if (mrz) {
      const checked = crossCheckViz(fields, lines);
      fields = checked.fields;
      warnings.push(...checked.warnings);
    } else {
      // A document without an MRZ (a card's front): its captioned values are all there is.
      const printed = fieldsFromViz(lines, now);
      if (printed.length >= MIN_VIZ_FIELDS) {
        fields = printed;
        kind = kindFromViz(lines);
      }
    }
  }
  timings.viz = performance.now() - t;
  if (fields.length === 0) {
    warnings.push(warning('UNRECOGNIZED_DOCUMENT', 'HIGH', 1, 'Document not recognized.', { textLines: boxes.length }));
  } else {
    warnings.push(
      ...fieldWarnings(fields, mrz?.checks ?? [], {
        now,
        requiredFields: options.requiredFields ?? DOCUMENT_DEFAULTS.requiredFields,
        lowConfidence: options.lowConfidence ?? DOCUMENT_DEFAULTS.lowConfidence,
      }),
    );
  }
  const country = mrz?.fields.issuingState || null;
  return {
    width: image.width,
    height: image.height,
    kind,
    country,
    countryName: country ? (countryName(country) ?? null) : null,
    location: extent
      ? { corners, longSide: Math.round(extent.longSide), shortSide: Math.round(extent.shortSide), method: 'mrz' }
      : { ...location, corners, longSide: Math.round(location.longSide), shortSide: Math.round(location.shortSide) },
    orientation,
    fields,
    mrz: mrz
      ? {
          format: mrz.format,
          lines: mrz.lines,
          rawLines: mrz.rawLines,
          valid: mrz.valid,
          fields: mrz.fields,
          checks: mrz.checks,
          errors: mrz.errors,
          corrections: mrz.corrections,
          confidence: Math.round(mrz.confidence * 1000) / 1000,
          boxes: mrz.boxes,
        }
      : null,
    forensics: forensics.scores,
    warnings,
    timings,
    portraitSearch,
  };
}

/** Long side of the upright document crop the portrait is searched on (a TD3 portrait is then about 110 px). */
const PORTRAIT_SIDE = 800;
/** The same when no document quad is known and the whole photo, turned upright, is searched. */
const FRAME_PORTRAIT_SIDE = 1280;

/** How far past the outline an MRZ box may reach and still be on the document (the detector grows its boxes). */
const OUTLINE_SLACK = 0.05;

/** The quadrilateral scaled about its centre by 1 + `by`. */
function grown(q: Quad, by: number): Quad {
  const cx = (q[0].x + q[1].x + q[2].x + q[3].x) / 4;
  const cy = (q[0].y + q[1].y + q[2].y + q[3].y) / 4;
  return q.map((p) => ({ x: cx + (p.x - cx) * (1 + by), y: cy + (p.y - cy) * (1 + by) })) as unknown as Quad;
}

function edgeLengths(q: Quad): number[] {
  return q.map((p, i) => Math.hypot(q[(i + 1) % 4]!.x - p.x, q[(i + 1) % 4]!.y - p.y));
}

async function encodeJpeg(image: RgbImage): Promise<Uint8Array> {
  const buffer = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
