import type { Face } from '../../domain/faces/face.entity.js';
import type { Row } from '../../domain/database/read-rows.js';
import type { FaceType } from './face.type.js';

/** Face (entity or loader row) → API shape (the embedding never leaves the server). */
export function toFaceType(f: Row<Face>): FaceType {
  return {
    id: f.id,
    sessionId: f.session.id,
    captureId: f.capture.id,
    box: { ...f.box },
    size: f.size,
    detectorScore: Number(f.detectorScore),
    searchable: f.searchable,
    age: f.age == null ? null : Number(f.age),
    gender: f.gender ?? null,
    livenessScore: f.livenessScore == null ? null : Number(f.livenessScore),
    createdAt: f.createdAt,
  };
}
