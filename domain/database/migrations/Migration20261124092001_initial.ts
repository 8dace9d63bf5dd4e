import { Migration } from '@mikro-orm/migrations';
import { createRolesSql, grantRolesSql } from '../roles.sql.js';

export class Migration20261124092001_initial extends Migration {

  override name = 'Migration20261124092001_initial';

  override up(): void | Promise<void> {
    // pgvector must exist before the face table's vector column (DESIGN §5).
    this.addSql(`create extension if not exists vector;`);
    for (const sql of createRolesSql()) this.addSql(sql);

    this.addSql(`create table "tenant" ("id" uuid not null, "name" varchar(200) not null, "slug" varchar(64) not null, "settings" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "tenant" add constraint "tenant_slug_unique" unique ("slug");`);

    this.addSql(`create table "scenario" ("id" uuid not null, "tenant_id" uuid not null, "schema_id" varchar(40) not null, "name" varchar(200) not null, "callback_secret" varchar(64) not null, "current_version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "archived_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "scenario" add constraint "scenario_schema_id_unique" unique ("schema_id");`);
    this.addSql(`create index "scenario_tenant_created_idx" on "scenario" ("tenant_id", "created_at");`);

    this.addSql(`create table "scenario_version" ("id" uuid not null, "tenant_id" uuid not null, "scenario_id" uuid not null, "version" int not null, "settings" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "scenario_version" add constraint "scenario_version_number_unique" unique ("scenario_id", "version");`);

    this.addSql(`create table "kyc_session" ("id" uuid not null, "tenant_id" uuid not null, "scenario_id" uuid not null, "scenario_version_id" uuid not null, "external_user_id" varchar(200) null, "metadata" jsonb not null, "status" text not null default 'IN_PROGRESS', "review_answer" text null, "reject_type" text null, "reject_labels" jsonb not null, "critical_error_count" int not null default 0, "attempts" int not null default 0, "client_ip" varchar(64) null, "user_agent" varchar(512) null, "identity" jsonb not null, "warnings" jsonb not null, "decision" jsonb null, "kyc_link_id" uuid null, "started_at" timestamptz not null, "frozen_at" timestamptz not null, "finished_at" timestamptz null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "kyc_session_tenant_started_idx" on "kyc_session" ("tenant_id", "started_at");`);
    this.addSql(`create index "kyc_session_tenant_status_idx" on "kyc_session" ("tenant_id", "status");`);
    this.addSql(`create index "kyc_session_tenant_external_user_idx" on "kyc_session" ("tenant_id", "external_user_id");`);
    this.addSql(`create index "kyc_session_frozen_at_idx" on "kyc_session" ("status", "frozen_at");`);
    this.addSql(`create index "kyc_session_warnings_gin" on "kyc_session" using gin ("warnings" jsonb_path_ops);`);

    this.addSql(`create table "session_step" ("id" uuid not null, "tenant_id" uuid not null, "session_id" uuid not null, "position" int not null, "kind" text not null, "status" text not null default 'PENDING', "attempts" int not null default 0, "warnings" jsonb not null, "evaluated_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "session_step" add constraint "session_step_position_unique" unique ("session_id", "position");`);

    this.addSql(`create table "scenario_step" ("id" uuid not null, "tenant_id" uuid not null, "scenario_version_id" uuid not null, "position" int not null, "kind" text not null, "title" varchar(200) null, "document_types" jsonb not null, "countries" jsonb not null, "checks" jsonb not null, primary key ("id"));`);
    this.addSql(`alter table "scenario_step" add constraint "scenario_step_position_unique" unique ("scenario_version_id", "position");`);

    this.addSql(`create table "kyc_link" ("id" uuid not null, "tenant_id" uuid not null, "scenario_id" uuid not null, "batch_id" uuid not null, "token_hash" varchar(64) not null, "status" text not null default 'CREATED', "expires_at" timestamptz not null, "opened_at" timestamptz null, "completed_at" timestamptz null, "session_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "kyc_link" add constraint "kyc_link_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "kyc_link_tenant_batch_idx" on "kyc_link" ("tenant_id", "batch_id");`);

    this.addSql(`create table "face_list" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "kind" text not null, "created_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "capture" ("id" uuid not null, "tenant_id" uuid not null, "session_id" uuid not null, "step_id" uuid not null, "blob_key" varchar(200) null, "sha256" varchar(64) not null, "byte_size" int not null, "image" jsonb not null, "document_type" varchar(40) null, "document_country" varchar(3) null, "ocr_fields" jsonb not null, "mrz" jsonb null, "quality" jsonb not null, "warnings" jsonb not null, "created_at" timestamptz not null, "image_purged_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "capture_tenant_created_idx" on "capture" ("tenant_id", "created_at");`);
    this.addSql(`create index "capture_ocr_fields_gin" on "capture" using gin ("ocr_fields" jsonb_path_ops);`);
    this.addSql(`create index "capture_warnings_gin" on "capture" using gin ("warnings" jsonb_path_ops);`);

    this.addSql(`create table "face" ("id" uuid not null, "tenant_id" uuid not null, "session_id" uuid not null, "capture_id" uuid not null, "box" jsonb not null, "landmarks" jsonb not null, "embedding" vector(512) null, "detector_score" double precision not null, "size" int not null, "age" double precision null, "gender" varchar(16) null, "anti_spoof_score" double precision null, "liveness_score" double precision null, "sharpness" double precision null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "face_tenant_session_idx" on "face" ("tenant_id", "session_id");`);
    this.addSql(`create index "face_embedding_hnsw" on "face" using hnsw ("embedding" vector_cosine_ops) with (m = 16, ef_construction = 64);`);

    this.addSql(`create table "audit_entry" ("id" uuid not null, "tenant_id" uuid not null, "actor_type" text not null, "actor_id" varchar(64) null, "action" varchar(64) not null, "object_type" varchar(64) not null, "object_id" varchar(64) null, "details" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "audit_entry_tenant_created_idx" on "audit_entry" ("tenant_id", "created_at");`);

    this.addSql(`create table "app_user" ("id" uuid not null, "tenant_id" uuid not null, "email" varchar(320) not null, "password_hash" varchar(200) not null, "role" text not null, "created_at" timestamptz not null, "last_login_at" timestamptz null, "disabled_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_tenant_email_unique" unique ("tenant_id", "email");`);

    this.addSql(`create table "saved_report" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "owner_id" uuid not null, "shared" boolean not null default false, "filters" jsonb not null, "columns" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "face_list_entry" ("id" uuid not null, "tenant_id" uuid not null, "list_id" uuid not null, "face_id" uuid not null, "reason" varchar(1000) null, "added_by_id" uuid null, "added_by_token_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "face_list_entry" add constraint "face_list_entry_list_face_unique" unique ("list_id", "face_id");`);

    this.addSql(`create table "api_token" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "prefix" varchar(32) not null, "secret_hash" varchar(64) not null, "scopes" jsonb not null, "created_by_id" uuid null, "created_at" timestamptz not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "api_token" add constraint "api_token_prefix_unique" unique ("prefix");`);

    this.addSql(`create table "webhook_delivery" ("id" uuid not null, "tenant_id" uuid not null, "session_id" uuid null, "event" varchar(64) not null, "url" varchar(2048) not null, "payload" jsonb not null, "signature" varchar(128) not null, "status" text not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "last_response" jsonb null, "created_at" timestamptz not null, "delivered_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_due_idx" on "webhook_delivery" ("status", "next_attempt_at");`);
    this.addSql(`create index "webhook_delivery_tenant_created_idx" on "webhook_delivery" ("tenant_id", "created_at");`);

    this.addSql(`alter table "tenant" enable row level security;`);
    this.addSql(`create policy "tenant_self" on "tenant" to "idgraph_app" using (id = current_setting('app.tenant_id')::uuid) with check (id = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "scenario" add constraint "scenario_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "scenario" enable row level security;`);
    this.addSql(`create policy "scenario_tenant_policy" on "scenario" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "scenario_version" add constraint "scenario_version_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "scenario_version" add constraint "scenario_version_scenario_id_foreign" foreign key ("scenario_id") references "scenario" ("id") on delete cascade;`);
    this.addSql(`alter table "scenario_version" enable row level security;`);
    this.addSql(`create policy "scenario_version_tenant_policy" on "scenario_version" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "kyc_session" add constraint "kyc_session_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "kyc_session" add constraint "kyc_session_scenario_id_foreign" foreign key ("scenario_id") references "scenario" ("id") on delete cascade;`);
    this.addSql(`alter table "kyc_session" add constraint "kyc_session_scenario_version_id_foreign" foreign key ("scenario_version_id") references "scenario_version" ("id") on delete cascade;`);
    this.addSql(`alter table "kyc_session" add constraint "kyc_session_status_check" check ("status" in ('IN_PROGRESS', 'SUCCESS', 'FAILED', 'SUSPICIOUS', 'IDLE', 'EXPIRED'));`);
    this.addSql(`alter table "kyc_session" add constraint "kyc_session_review_answer_check" check ("review_answer" in ('GREEN', 'RED'));`);
    this.addSql(`alter table "kyc_session" add constraint "kyc_session_reject_type_check" check ("reject_type" in ('RETRY', 'FINAL'));`);
    this.addSql(`alter table "kyc_session" enable row level security;`);
    this.addSql(`create policy "kyc_session_tenant_policy" on "kyc_session" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "session_step" add constraint "session_step_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "session_step" add constraint "session_step_session_id_foreign" foreign key ("session_id") references "kyc_session" ("id") on delete cascade;`);
    this.addSql(`alter table "session_step" add constraint "session_step_kind_check" check ("kind" in ('DOCUMENT', 'SELFIE', 'SELFIE_WITH_DOCUMENT', 'LIVENESS'));`);
    this.addSql(`alter table "session_step" add constraint "session_step_status_check" check ("status" in ('PENDING', 'PASSED', 'FAILED', 'SUSPICIOUS', 'REVIEW'));`);
    this.addSql(`alter table "session_step" enable row level security;`);
    this.addSql(`create policy "session_step_tenant_policy" on "session_step" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "scenario_step" add constraint "scenario_step_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "scenario_step" add constraint "scenario_step_scenario_version_id_foreign" foreign key ("scenario_version_id") references "scenario_version" ("id") on delete cascade;`);
    this.addSql(`alter table "scenario_step" add constraint "scenario_step_kind_check" check ("kind" in ('DOCUMENT', 'SELFIE', 'SELFIE_WITH_DOCUMENT', 'LIVENESS'));`);
    this.addSql(`alter table "scenario_step" enable row level security;`);
    this.addSql(`create policy "scenario_step_tenant_policy" on "scenario_step" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "kyc_link" add constraint "kyc_link_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "kyc_link" add constraint "kyc_link_scenario_id_foreign" foreign key ("scenario_id") references "scenario" ("id") on delete cascade;`);
    this.addSql(`alter table "kyc_link" add constraint "kyc_link_status_check" check ("status" in ('CREATED', 'OPENED', 'COMPLETED', 'EXPIRED'));`);
    this.addSql(`alter table "kyc_link" enable row level security;`);
    this.addSql(`create policy "kyc_link_tenant_policy" on "kyc_link" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "face_list" add constraint "face_list_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "face_list" add constraint "face_list_kind_check" check ("kind" in ('BLACKLIST', 'CUSTOMERS'));`);
    this.addSql(`alter table "face_list" enable row level security;`);
    this.addSql(`create policy "face_list_tenant_policy" on "face_list" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "capture" add constraint "capture_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "capture" add constraint "capture_session_id_foreign" foreign key ("session_id") references "kyc_session" ("id") on delete cascade;`);
    this.addSql(`alter table "capture" add constraint "capture_step_id_foreign" foreign key ("step_id") references "session_step" ("id") on delete cascade;`);
    this.addSql(`alter table "capture" enable row level security;`);
    this.addSql(`create policy "capture_tenant_policy" on "capture" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "face" add constraint "face_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "face" add constraint "face_session_id_foreign" foreign key ("session_id") references "kyc_session" ("id") on delete cascade;`);
    this.addSql(`alter table "face" add constraint "face_capture_id_foreign" foreign key ("capture_id") references "capture" ("id") on delete cascade;`);
    this.addSql(`alter table "face" enable row level security;`);
    this.addSql(`create policy "face_tenant_policy" on "face" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "audit_entry" add constraint "audit_entry_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "audit_entry" add constraint "audit_entry_actor_type_check" check ("actor_type" in ('USER', 'TOKEN', 'APPLICANT', 'SYSTEM'));`);
    this.addSql(`alter table "audit_entry" enable row level security;`);
    this.addSql(`create policy "audit_entry_tenant_policy" on "audit_entry" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "app_user" add constraint "app_user_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "app_user" add constraint "app_user_role_check" check ("role" in ('OWNER', 'ADMIN', 'OPERATOR', 'ANALYST'));`);
    this.addSql(`alter table "app_user" enable row level security;`);
    this.addSql(`create policy "app_user_tenant_policy" on "app_user" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "saved_report" add constraint "saved_report_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "saved_report" add constraint "saved_report_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "saved_report" enable row level security;`);
    this.addSql(`create policy "saved_report_tenant_policy" on "saved_report" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "face_list_entry" add constraint "face_list_entry_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "face_list_entry" add constraint "face_list_entry_list_id_foreign" foreign key ("list_id") references "face_list" ("id") on delete cascade;`);
    this.addSql(`alter table "face_list_entry" add constraint "face_list_entry_face_id_foreign" foreign key ("face_id") references "face" ("id") on delete cascade;`);
    this.addSql(`alter table "face_list_entry" add constraint "face_list_entry_added_by_id_foreign" foreign key ("added_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "face_list_entry" enable row level security;`);
    this.addSql(`create policy "face_list_entry_tenant_policy" on "face_list_entry" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "api_token" add constraint "api_token_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "api_token" add constraint "api_token_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "api_token" enable row level security;`);
    this.addSql(`create policy "api_token_tenant_policy" on "api_token" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_status_check" check ("status" in ('PENDING', 'DELIVERED', 'FAILED', 'DEAD'));`);
    this.addSql(`alter table "webhook_delivery" enable row level security;`);
    this.addSql(`create policy "webhook_delivery_tenant_policy" on "webhook_delivery" using ("tenant_id" = current_setting('app.tenant_id')::uuid);`);

    for (const sql of grantRolesSql()) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "scenario" drop constraint "scenario_tenant_id_foreign";`);
    this.addSql(`alter table "scenario_version" drop constraint "scenario_version_tenant_id_foreign";`);
    this.addSql(`alter table "kyc_session" drop constraint "kyc_session_tenant_id_foreign";`);
    this.addSql(`alter table "session_step" drop constraint "session_step_tenant_id_foreign";`);
    this.addSql(`alter table "scenario_step" drop constraint "scenario_step_tenant_id_foreign";`);
    this.addSql(`alter table "kyc_link" drop constraint "kyc_link_tenant_id_foreign";`);
    this.addSql(`alter table "face_list" drop constraint "face_list_tenant_id_foreign";`);
    this.addSql(`alter table "capture" drop constraint "capture_tenant_id_foreign";`);
    this.addSql(`alter table "face" drop constraint "face_tenant_id_foreign";`);
    this.addSql(`alter table "audit_entry" drop constraint "audit_entry_tenant_id_foreign";`);
    this.addSql(`alter table "app_user" drop constraint "app_user_tenant_id_foreign";`);
    this.addSql(`alter table "saved_report" drop constraint "saved_report_tenant_id_foreign";`);
    this.addSql(`alter table "face_list_entry" drop constraint "face_list_entry_tenant_id_foreign";`);
    this.addSql(`alter table "api_token" drop constraint "api_token_tenant_id_foreign";`);
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_tenant_id_foreign";`);
    this.addSql(`alter table "scenario_version" drop constraint "scenario_version_scenario_id_foreign";`);
    this.addSql(`alter table "kyc_session" drop constraint "kyc_session_scenario_id_foreign";`);
    this.addSql(`alter table "kyc_link" drop constraint "kyc_link_scenario_id_foreign";`);
    this.addSql(`alter table "kyc_session" drop constraint "kyc_session_scenario_version_id_foreign";`);
    this.addSql(`alter table "scenario_step" drop constraint "scenario_step_scenario_version_id_foreign";`);
    this.addSql(`alter table "session_step" drop constraint "session_step_session_id_foreign";`);
    this.addSql(`alter table "capture" drop constraint "capture_session_id_foreign";`);
    this.addSql(`alter table "face" drop constraint "face_session_id_foreign";`);
    this.addSql(`alter table "capture" drop constraint "capture_step_id_foreign";`);
    this.addSql(`alter table "face_list_entry" drop constraint "face_list_entry_list_id_foreign";`);
    this.addSql(`alter table "face" drop constraint "face_capture_id_foreign";`);
    this.addSql(`alter table "face_list_entry" drop constraint "face_list_entry_face_id_foreign";`);
    this.addSql(`alter table "saved_report" drop constraint "saved_report_owner_id_foreign";`);
    this.addSql(`alter table "face_list_entry" drop constraint "face_list_entry_added_by_id_foreign";`);
    this.addSql(`alter table "api_token" drop constraint "api_token_created_by_id_foreign";`);

    this.addSql(`drop table if exists "tenant" cascade;`);
    this.addSql(`drop table if exists "scenario" cascade;`);
    this.addSql(`drop table if exists "scenario_version" cascade;`);
    this.addSql(`drop table if exists "kyc_session" cascade;`);
    this.addSql(`drop table if exists "session_step" cascade;`);
    this.addSql(`drop table if exists "scenario_step" cascade;`);
    this.addSql(`drop table if exists "kyc_link" cascade;`);
    this.addSql(`drop table if exists "face_list" cascade;`);
    this.addSql(`drop table if exists "capture" cascade;`);
    this.addSql(`drop table if exists "face" cascade;`);
    this.addSql(`drop table if exists "audit_entry" cascade;`);
    this.addSql(`drop table if exists "app_user" cascade;`);
    this.addSql(`drop table if exists "saved_report" cascade;`);
    this.addSql(`drop table if exists "face_list_entry" cascade;`);
    this.addSql(`drop table if exists "api_token" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
  }

}
