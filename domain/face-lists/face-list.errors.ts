/** Expected failures of face-list management. */
export class FaceListError extends Error {
  constructor(
    readonly code: 'FACE_LIST_NOT_FOUND' | 'FACE_NOT_FOUND' | 'FACE_NOT_EMBEDDED' | 'ENTRY_NOT_FOUND',
    message: string,
  ) {
    super(message);
    this.name = 'FaceListError';
  }
}
