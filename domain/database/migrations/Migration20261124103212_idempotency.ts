import { Migration } from '@mikro-orm/migrations';

export class Migration20261124103212_idempotency extends Migration {

  override name = 'Migration20261124103212_idempotency';

  override up(): void | Promise<void> {
    this.addSql(`create table "idempotency_record" ("id" uuid not null, "tenant_id" uuid not null, "key" varchar(200) not null, "request_hash" varchar(64) not null, "response" jsonb null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "idempotency_record_created_idx" on "idempotency_record" ("created_at");`);
    this.addSql(`alter table "idempotency_record" add constraint "idempotency_record_tenant_key_unique" unique ("tenant_id", "key");`);

    this.addSql(`alter table "idempotency_record" add constraint "idempotency_record_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "idempotency_record" enable row level security;`);
    this.addSql(`create policy "idempotency_record_tenant_policy" on "idempotency_record" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "idempotency_record" cascade;`);
  }

}
