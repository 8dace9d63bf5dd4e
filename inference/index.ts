// The inference box's only entry point (STYLE.md §6): nothing outside inference/ imports
// onnxruntime, sharp or model files, and nothing here reaches past this file's exports.
export { createInference } from './inference.js';
export type { CompareFacesOptions, FaceComparisonResult, FaceInput, Inference } from './inference.js';
export { defaultInferenceOptions, resolveInferenceOptions } from './inference.options.js';
export type { ImageLimits, InferenceDevice, InferenceOptions } from './inference.options.js';
export { INFERENCE_ERROR_CODES, InferenceError } from './inference.errors.js';
export type { InferenceErrorCode } from './inference.errors.js';
export { FACE_EMBEDDING_DIMENSIONS, MIN_FACE_SIZE } from './faces/face.constants.js';
export { compareEmbeddings, cosineSimilarity, FACE_MATCH_THRESHOLD } from './faces/face-compare.js';
export type { FaceComparison } from './faces/face-compare.js';
export type { AnalyzeFacesOptions, Box, Face, FaceAnalysis, FaceLiveness, FaceSearch, FaceTimings, Point } from './faces/face.types.js';
export type { PoolStats } from './pool/inference.pool.js';
export type {
  AnalyzeDocumentOptions,
  DocumentAnalysis,
  DocumentField,
  DocumentFieldName,
  DocumentKind,
  DocumentLocation,
  DocumentMrz,
  DocumentOrientation,
  DocumentPortrait,
  DocumentSide,
  DocumentTimings,
  DocumentWarning,
  ForensicScores,
  WarningSeverity as DocumentWarningSeverity,
} from './documents/document.types.js';
export { installModels, verifyModels } from './models/model-store.js';
export { FACE_MODELS, OCR_MODELS } from './models/model-catalog.js';
export { thumbnailJpeg, THUMBNAIL_MAX_SIDE } from './image/image-thumbnail.js';
