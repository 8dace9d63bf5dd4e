import { Migration } from '@mikro-orm/migrations';

/**
 * A warning whose effect is REVIEW flags the session for an operator without changing its status; the flag is a
 * column so the operators' queue can filter on it. Stamped after the other migrations of 2 December 2026
 * (idempotency per caller, session order indexes): it was committed after them and migrations run in name order.
 */
export class Migration20261202163000_session_needs_review extends Migration {

  override name = 'Migration20261202163000_session_needs_review';

  override up(): void | Promise<void> {
    this.addSql(`alter table "kyc_session" add "needs_review" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "kyc_session" drop column "needs_review";`);
  }

}
