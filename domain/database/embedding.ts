/**
 * Length of a face embedding, set by the face model (docs/MODELS.md); the `face.embedding` column and every search
 * use this one constant, owned by the inference box.
 */
export { FACE_EMBEDDING_DIMENSIONS } from '../../inference/index.js';
