import { Migration20261124092001_initial } from './Migration20261124092001_initial.js';
import { Migration20261124101253_refresh_tokens } from './Migration20261124101253_refresh_tokens.js';
import { Migration20261124103212_idempotency } from './Migration20261124103212_idempotency.js';
import { Migration20261202160000_idempotency_per_caller } from './Migration20261202160000_idempotency_per_caller.js';
import { Migration20261202161500_session_order_indexes } from './Migration20261202161500_session_order_indexes.js';
import { Migration20261202163000_session_needs_review } from './Migration20261202163000_session_needs_review.js';
import { Migration20261203000100_webhooks } from './Migration20261203000100_webhooks.js';
import { Migration20261203000200_session_tombstone } from './Migration20261203000200_session_tombstone.js';
import { Migration20261203000300_report_indexes } from './Migration20261203000300_report_indexes.js';
import { Migration20261203000500_user_links } from './Migration20261203000500_user_links.js';

/** Every migration, in order. `npm run migration:create` writes the next file; add its class here. */
export const migrationsList = [Migration20261124092001_initial, Migration20261124101253_refresh_tokens, Migration20261124103212_idempotency, Migration20261202160000_idempotency_per_caller, Migration20261202161500_session_order_indexes, Migration20261202163000_session_needs_review, Migration20261203000100_webhooks, Migration20261203000200_session_tombstone, Migration20261203000300_report_indexes, Migration20261203000500_user_links];
