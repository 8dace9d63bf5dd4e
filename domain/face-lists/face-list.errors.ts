import { DomainError } from '../domain-error.js';

/** Expected failures of face-list management. */
export class FaceListError extends DomainError<'FACE_LIST_NOT_FOUND' | 'FACE_LIST_WRONG_KIND' | 'FACE_NOT_FOUND' | 'FACE_NOT_EMBEDDED' | 'ENTRY_NOT_FOUND'> {}
