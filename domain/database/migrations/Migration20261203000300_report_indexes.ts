import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes of `report` (issue 21): reject labels by JSON containment (GIN, as warnings already have), OCR exact
 * values and KYC links per tenant, and scenario-filtered pages in creation order.
 */
export class Migration20261203000300_report_indexes extends Migration {

  override name = 'Migration20261203000300_report_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "kyc_session_reject_labels_gin" on "kyc_session" using gin ("reject_labels" jsonb_path_ops);`);
    this.addSql(`create index "kyc_session_tenant_document_number_idx" on "kyc_session" ("tenant_id", ("identity"->>'documentNumber'));`);
    this.addSql(`create index "kyc_session_tenant_kyc_link_idx" on "kyc_session" ("tenant_id", "kyc_link_id");`);
    this.addSql(`create index "kyc_session_tenant_scenario_started_idx" on "kyc_session" ("tenant_id", "scenario_id", "started_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "kyc_session_tenant_scenario_started_idx";`);
    this.addSql(`drop index "kyc_session_tenant_kyc_link_idx";`);
    this.addSql(`drop index "kyc_session_tenant_document_number_idx";`);
    this.addSql(`drop index "kyc_session_reject_labels_gin";`);
  }

}
