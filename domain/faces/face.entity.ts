import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { FACE_EMBEDDING_DIMENSIONS } from '../database/embedding.js';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { VectorType } from '../database/vector.type.js';
import { Capture } from '../sessions/capture.entity.js';
import { Session } from '../sessions/session.entity.js';

/** Face box in pixels of the capture, after EXIF orientation. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

const FaceSchema = defineEntity({
  name: 'Face',
  filters: tenantFilter(),
  indexes: [
    { name: 'face_tenant_session_idx', properties: ['tenant', 'session'] },
    {
      // Cosine distance: embeddings are L2-normalised, and cosine is how the face model is compared.
      name: 'face_embedding_hnsw',
      expression:
        'create index "face_embedding_hnsw" on "face" using hnsw ("embedding" vector_cosine_ops) with (m = 16, ef_construction = 64)',
    },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    session: () => p.manyToOne(Session).ref().deleteRule('cascade'),
    capture: () => p.manyToOne(Capture).ref().deleteRule('cascade'),
    box: p.json<FaceBox>(),
    landmarks: p.json<[number, number][]>(),
    /** Null for faces too small to embed (< 30×30 px, reference 000). */
    embedding: p.type(new VectorType(FACE_EMBEDDING_DIMENSIONS)).nullable(),
    /** Whether the face has an embedding, computed by the database: readers that skip the 512 floats still know. */
    searchable: p.boolean().formula((columns) => `${columns.embedding} is not null`),
    detectorScore: p.double(),
    /** Shorter side of the face box, in pixels. */
    size: p.integer(),
    age: p.double().nullable(),
    gender: p.string().length(16).nullable(),
    antiSpoofScore: p.double().nullable(),
    livenessScore: p.double().nullable(),
    sharpness: p.double().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A face found on a capture; its embedding is searched across the tenant's sessions and face lists. */
export class Face extends FaceSchema.class {}
FaceSchema.setClass(Face);
