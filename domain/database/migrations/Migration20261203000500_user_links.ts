import { Migration } from '@mikro-orm/migrations';

export class Migration20261203000500_user_links extends Migration {

  override name = 'Migration20261203000500_user_links';

  override up(): void | Promise<void> {
    this.addSql(`create table "user_link" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "purpose" text not null, "prefix" varchar(32) not null, "secret_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "user_link" add constraint "user_link_prefix_unique" unique ("prefix");`);
    this.addSql(`alter table "user_link" add constraint "user_link_purpose_check" check ("purpose" in ('INVITE', 'RESET'));`);
    this.addSql(`create index "user_link_user_idx" on "user_link" ("user_id");`);
    this.addSql(`alter table "user_link" add constraint "user_link_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "user_link" add constraint "user_link_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "user_link" enable row level security;`);
    this.addSql(`create policy "user_link_tenant_policy" on "user_link" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);
    // An invited operator has no password until they set one through their link.
    this.addSql(`alter table "app_user" alter column "password_hash" drop not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "user_link" cascade;`);
    this.addSql(`alter table "app_user" alter column "password_hash" set not null;`);
  }

}
