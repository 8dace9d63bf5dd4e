import { Migration } from '@mikro-orm/migrations';

/** Indexes for `sessions(orderBy: UPDATED_AT | FINISHED_AT)`, beside the creation-time one. */
export class Migration20261202161500_session_order_indexes extends Migration {

  override name = 'Migration20261202161500_session_order_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "kyc_session_tenant_updated_idx" on "kyc_session" ("tenant_id", "updated_at");`);
    this.addSql(`create index "kyc_session_tenant_finished_idx" on "kyc_session" ("tenant_id", "finished_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "kyc_session_tenant_finished_idx";`);
    this.addSql(`drop index "kyc_session_tenant_updated_idx";`);
  }

}
