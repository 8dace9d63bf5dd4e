/** Length of a face embedding (fr_feature's output); the database's vector column is declared with it. */
export const FACE_EMBEDDING_DIMENSIONS = 512;

/** DESIGN.md §4: "a face at least 30×30 px". Smaller faces are reported `tooSmall` and not embedded. */
export const MIN_FACE_SIZE = 30;

/** Pool task kind of face analysis (`faces.task.ts`). */
export const FACES_ANALYZE = 'faces.analyze';
