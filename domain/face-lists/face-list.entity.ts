import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { FaceListEntry } from './face-list-entry.entity.js';

/** Blacklists block; customer lists recognise returning customers (DESIGN §2). */
export enum FaceListKind {
  BLACKLIST = 'BLACKLIST',
  CUSTOMERS = 'CUSTOMERS',
}

const FaceListSchema = defineEntity({
  name: 'FaceList',
  filters: tenantFilter(),
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    name: p.string().length(200),
    kind: p.enum(() => FaceListKind),
    entries: () => p.oneToMany(FaceListEntry).mappedBy('list'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A named set of faces a scenario searches against. */
export class FaceList extends FaceListSchema.class {}
FaceListSchema.setClass(FaceList);
