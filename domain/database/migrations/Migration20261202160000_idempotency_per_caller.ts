import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotency keys belong to one caller, not to the tenant, and answers are stored sealed. The records held until now
 * (24 h at most) kept answers in plain text, secrets included: they are dropped rather than carried over.
 */
export class Migration20261202160000_idempotency_per_caller extends Migration {

  override name = 'Migration20261202160000_idempotency_per_caller';

  override up(): void | Promise<void> {
    this.addSql(`delete from "idempotency_record";`);
    this.addSql(`alter table "idempotency_record" drop constraint "idempotency_record_tenant_key_unique";`);
    this.addSql(`alter table "idempotency_record" drop column "response";`);
    this.addSql(`alter table "idempotency_record" add column "principal" varchar(80) not null;`);
    this.addSql(`alter table "idempotency_record" add column "sealed_response" bytea null;`);
    this.addSql(`alter table "idempotency_record" add constraint "idempotency_record_tenant_principal_key_unique" unique ("tenant_id", "principal", "key");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "idempotency_record";`);
    this.addSql(`alter table "idempotency_record" drop constraint "idempotency_record_tenant_principal_key_unique";`);
    this.addSql(`alter table "idempotency_record" drop column "sealed_response";`);
    this.addSql(`alter table "idempotency_record" drop column "principal";`);
    this.addSql(`alter table "idempotency_record" add column "response" jsonb null;`);
    this.addSql(`alter table "idempotency_record" add constraint "idempotency_record_tenant_key_unique" unique ("tenant_id", "key");`);
  }

}
