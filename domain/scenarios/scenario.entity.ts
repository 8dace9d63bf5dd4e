import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter, tenantOwned } from '../database/tenant-scope.js';
import { ScenarioVersion } from './scenario-version.entity.js';

const ScenarioSchema = defineEntity({
  name: 'Scenario',
  filters: tenantFilter(),
  indexes: [{ name: 'scenario_tenant_created_idx', properties: ['tenant', 'createdAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ...tenantOwned(),
    /** Public identifier used by widgets and links (reference 001 "schema id"). */
    schemaId: p.string().length(40).unique(),
    name: p.string().length(200),
    /** Key that signs this scenario's callbacks; shown to the tenant, so kept retrievable. */
    callbackSecret: p.string().length(64).hidden(),
    /** Number of the version new sessions start with. */
    currentVersion: p.integer().default(1),
    versions: () => p.oneToMany(ScenarioVersion).mappedBy('scenario'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    archivedAt: p.datetime().nullable(),
  },
});

/** A tenant's verification recipe; its content lives in immutable versions. */
export class Scenario extends ScenarioSchema.class {}
ScenarioSchema.setClass(Scenario);
