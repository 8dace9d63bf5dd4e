import { Migration } from '@mikro-orm/migrations';

export class Migration20261124101253_refresh_tokens extends Migration {

  override name = 'Migration20261124101253_refresh_tokens';

  override up(): void | Promise<void> {
    this.addSql(`create table "refresh_token" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "prefix" varchar(32) not null, "secret_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, "family" uuid not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_prefix_unique" unique ("prefix");`);
    this.addSql(`create index "refresh_token_user_idx" on "refresh_token" ("user_id");`);

    this.addSql(`alter table "refresh_token" add constraint "refresh_token_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "refresh_token" enable row level security;`);
    this.addSql(`create policy "refresh_token_tenant_policy" on "refresh_token" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "refresh_token" cascade;`);
  }

}
