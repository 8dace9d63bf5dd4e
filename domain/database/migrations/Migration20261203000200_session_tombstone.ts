import { Migration } from '@mikro-orm/migrations';

/** Erased sessions leave a tombstone (issue 20): ids, times, image hashes and who erased them, under the tenant policy. */
export class Migration20261203000200_session_tombstone extends Migration {

  override name = 'Migration20261203000200_session_tombstone';

  override up(): void | Promise<void> {
    this.addSql(`create table "session_tombstone" ("id" uuid not null, "tenant_id" uuid not null, "scenario_id" uuid not null, "scenario_version" int not null, "status" varchar(32) not null, "started_at" timestamptz not null, "finished_at" timestamptz null, "deleted_at" timestamptz not null, "deleted_by_type" text null, "deleted_by_id" varchar(64) null, "policy" varchar(200) null, "captures" jsonb not null, "face_count" int not null, "face_list_entry_count" int not null, primary key ("id"));`);
    this.addSql(`create index "session_tombstone_tenant_deleted_idx" on "session_tombstone" ("tenant_id", "deleted_at");`);
    this.addSql(`alter table "session_tombstone" add constraint "session_tombstone_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "session_tombstone" add constraint "session_tombstone_deleted_by_type_check" check ("deleted_by_type" in ('USER', 'TOKEN', 'APPLICANT', 'SYSTEM'));`);
    this.addSql(`alter table "session_tombstone" enable row level security;`);
    this.addSql(`create policy "session_tombstone_tenant_policy" on "session_tombstone" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "session_tombstone" cascade;`);
  }

}
