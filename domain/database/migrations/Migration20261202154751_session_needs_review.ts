import { Migration } from '@mikro-orm/migrations';

export class Migration20261202154751_session_needs_review extends Migration {

  override name = 'Migration20261202154751_session_needs_review';

  override up(): void | Promise<void> {
    this.addSql(`alter table "kyc_session" add "needs_review" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "kyc_session" drop column "needs_review";`);
  }

}
