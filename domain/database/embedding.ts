/**
 * Length of a face embedding, set by the face model (`fr_feature` of faceplugin-face-recognition-js outputs 512
 * values; see docs/MODELS.md). The `face.embedding` column and every search use this one constant.
 */
export const FACE_EMBEDDING_DIMENSIONS = 512;
