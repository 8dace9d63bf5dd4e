import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes of `report` (issue 21): the links of a batch per tenant, and one scenario's pages in creation order. No
 * index on the JSON columns: under row-level security PostgreSQL only uses an index for a condition whose operator
 * is leakproof, and `->>`, `@>` and LIKE are not (measured in bench/reports.bench.ts: a seq scan either way).
 */
export class Migration20261203000300_report_indexes extends Migration {

  override name = 'Migration20261203000300_report_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "kyc_session_tenant_kyc_link_idx" on "kyc_session" ("tenant_id", "kyc_link_id");`);
    this.addSql(`create index "kyc_session_tenant_scenario_started_idx" on "kyc_session" ("tenant_id", "scenario_id", "started_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "kyc_session_tenant_scenario_started_idx";`);
    this.addSql(`drop index "kyc_session_tenant_kyc_link_idx";`);
  }

}
