import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { User } from '../users/user.entity.js';

/** Filters of a saved report (DESIGN §2); every field optional. */
export interface ReportFilters {
  from?: string;
  to?: string;
  statuses?: string[];
  scenarioIds?: string[];
  warningCodes?: string[];
  ocrFields?: { title: string; value: string }[];
}

const SavedReportSchema = defineEntity({
  name: 'SavedReport',
  filters: tenantFilter(),
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    name: p.string().length(200),
    owner: () => p.manyToOne(User).ref().deleteRule('cascade'),
    shared: p.boolean().default(false),
    filters: p.json<ReportFilters>(),
    columns: p.json<string[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** A data team's saved query over sessions, runnable through GraphQL and exportable to CSV. */
export class SavedReport extends SavedReportSchema.class {}
SavedReportSchema.setClass(SavedReport);
