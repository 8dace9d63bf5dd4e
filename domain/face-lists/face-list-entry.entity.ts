import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { Face } from '../faces/face.entity.js';
import { User } from '../users/user.entity.js';
import { FaceList } from './face-list.entity.js';

const FaceListEntrySchema = defineEntity({
  name: 'FaceListEntry',
  filters: tenantFilter(),
  uniques: [{ name: 'face_list_entry_list_face_unique', properties: ['list', 'face'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    list: () => p.manyToOne(FaceList).ref().deleteRule('cascade'),
    face: () => p.manyToOne(Face).ref().deleteRule('cascade'),
    reason: p.string().length(1000).nullable(),
    addedBy: () => p.manyToOne(User).ref().nullable().deleteRule('set null'),
    /** Token id when a partner added the face. */
    addedByTokenId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A face put on a list, with who did it and why. */
export class FaceListEntry extends FaceListEntrySchema.class {}
FaceListEntrySchema.setClass(FaceListEntry);
