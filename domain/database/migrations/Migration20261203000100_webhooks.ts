import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook endpoints, the delivery outbox reshaped (the first wave's `webhook_delivery` was never written to, so it is
 * replaced rather than altered) and the attempt log (issue 20).
 */
export class Migration20261203000100_webhooks extends Migration {

  override name = 'Migration20261203000100_webhooks';

  override up(): void | Promise<void> {
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
    this.addSql(`create table "webhook_endpoint" ("id" uuid not null, "tenant_id" uuid not null, "url" varchar(2048) not null, "event_types" jsonb not null, "scenario_id" uuid null, "description" varchar(200) null, "no_personal_data" boolean not null default false, "encrypt_body" boolean not null default false, "enabled" boolean not null default true, "disabled_reason" varchar(200) null, "sealed_secret" bytea not null, "sealed_previous_secret" bytea null, "previous_secret_until" timestamptz null, "failing_since" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "webhook_endpoint_tenant_created_idx" on "webhook_endpoint" ("tenant_id", "created_at");`);
    this.addSql(`create table "webhook_delivery" ("id" uuid not null, "tenant_id" uuid not null, "endpoint_id" uuid null, "callback_scenario_id" uuid null, "url" varchar(2048) null, "event_id" uuid not null, "event_type" varchar(64) not null, "session_id" uuid null, "payload" jsonb not null, "encrypt_body" boolean not null default false, "status" text not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "lease_token" uuid null, "lease_expires_at" timestamptz null, "last_status_code" int null, "last_error" varchar(500) null, "created_at" timestamptz not null, "delivered_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_due_idx" on "webhook_delivery" ("status", "next_attempt_at");`);
    this.addSql(`create index "webhook_delivery_tenant_created_idx" on "webhook_delivery" ("tenant_id", "created_at");`);
    this.addSql(`create table "webhook_attempt" ("id" uuid not null, "tenant_id" uuid not null, "delivery_id" uuid not null, "attempted_at" timestamptz not null, "status_code" int null, "latency_ms" int not null, "error" varchar(500) null, "response_excerpt" text null, primary key ("id"));`);
    this.addSql(`create index "webhook_attempt_delivery_idx" on "webhook_attempt" ("delivery_id", "attempted_at");`);
    this.addSql(`alter table "webhook_endpoint" add constraint "webhook_endpoint_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_callback_scenario_id_foreign" foreign key ("callback_scenario_id") references "scenario" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_status_check" check ("status" in ('PENDING', 'DELIVERED', 'DEAD'));`);
    this.addSql(`alter table "webhook_attempt" add constraint "webhook_attempt_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_attempt" add constraint "webhook_attempt_delivery_id_foreign" foreign key ("delivery_id") references "webhook_delivery" ("id") on delete cascade;`);
    for (const table of ['webhook_endpoint', 'webhook_delivery', 'webhook_attempt']) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`create policy "${table}_tenant_policy" on "${table}" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);
    }
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "webhook_attempt" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);
  }

}
