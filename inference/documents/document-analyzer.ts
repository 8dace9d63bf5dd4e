import type { DecodedImage } from '../image/image-decoder.js';
import { runForensics } from '../forensics/document-forensics.js';
import { fieldsFromMrz } from './document-fields.js';
import { fieldWarnings, warning } from './document-warnings.js';
import type { AnalyzeDocumentOptions, DocumentAnalysis, DocumentFieldName, DocumentTimings, DocumentWarning } from './document.types.js';
import { deskewDocument, locateDocument } from './localization/document-locator.js';
import { countryName } from './mrz/mrz-countries.js';
import { readMrz } from './mrz/mrz-reader.js';
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
};

/** What the document task returns: everything but the portrait, which the face pipeline adds. */
export type DocumentTaskOutput = Omit<DocumentAnalysis, 'portrait' | 'timings'> & { timings: Omit<DocumentTimings, 'portrait' | 'total'> };

/** Long side the document is deskewed to for the pixel forensics. */
const FORENSICS_SIDE = 640;

/**
 * The document pipeline on one decoded upload: size acceptance, localisation and deskew,
 * forensics, text detection, MRZ reading with correction and parsing, fields, derived warnings.
 */
export async function analyzeDecodedDocument(models: OcrModels, image: DecodedImage, bytes: Uint8Array, options: AnalyzeDocumentOptions = {}): Promise<DocumentTaskOutput> {
  const now = options.now === undefined ? new Date() : new Date(options.now);
  if (Number.isNaN(now.getTime())) throw new RangeError('options.now is not a date');
  const timings = { decode: image.decodeMs, localize: 0, forensics: 0, detect: 0, recognize: 0 };
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

  t = performance.now();
  const boxes = await detectText(models.detect, image, { maxSide: options.detectMaxSide ?? DOCUMENT_DEFAULTS.detectMaxSide });
  timings.detect = performance.now() - t;

  t = performance.now();
  const mrz = await readMrz(models, image, boxes);
  timings.recognize = performance.now() - t;

  const fields = mrz ? fieldsFromMrz(mrz, now) : [];
  if (!mrz) {
    warnings.push(warning('UNRECOGNIZED_DOCUMENT', 'HIGH', 1, 'Document not recognized.', { textLines: boxes.length }));
  } else {
    warnings.push(
      ...fieldWarnings(fields, mrz.checks, {
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
    kind: mrz ? documentKindOf(mrz.fields.documentCode) : 'UNKNOWN',
    country,
    countryName: country ? (countryName(country) ?? null) : null,
    location: { ...location, longSide: Math.round(location.longSide), shortSide: Math.round(location.shortSide) },
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
  };
}
