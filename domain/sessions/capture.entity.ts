import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import type { Warning } from '../warnings/warning.js';
import type { ImageMetadata, MrzReading, OcrField } from './capture-data.js';
import { Session } from './session.entity.js';
import { SessionStep } from './session-step.entity.js';

const CaptureSchema = defineEntity({
  name: 'Capture',
  filters: tenantFilter(),
  indexes: [
    { name: 'capture_tenant_created_idx', properties: ['tenant', 'createdAt'] },
    {
      name: 'capture_ocr_fields_gin',
      expression: 'create index "capture_ocr_fields_gin" on "capture" using gin ("ocr_fields" jsonb_path_ops)',
    },
    {
      name: 'capture_warnings_gin',
      expression: 'create index "capture_warnings_gin" on "capture" using gin ("warnings" jsonb_path_ops)',
    },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    session: () => p.manyToOne(Session).ref().deleteRule('cascade'),
    step: () => p.manyToOne(SessionStep).ref().deleteRule('cascade'),
    /** Key of the encrypted image in the blob store; null once retention purged the image. */
    blobKey: p.string().length(200).nullable(),
    sha256: p.string().length(64),
    byteSize: p.integer(),
    image: p.json<ImageMetadata>(),
    documentType: p.string().length(40).nullable(),
    documentCountry: p.string().length(3).nullable(),
    ocrFields: p.json<OcrField[]>().onCreate(() => []),
    mrz: p.json<MrzReading>().nullable(),
    quality: p.json<Record<string, number>>().onCreate(() => ({})),
    warnings: p.json<Warning[]>().onCreate(() => []),
    createdAt: p.datetime().onCreate(() => new Date()),
    imagePurgedAt: p.datetime().nullable(),
  },
});

/** One uploaded image for a step, with everything read from it. */
export class Capture extends CaptureSchema.class {}
CaptureSchema.setClass(Capture);
