import { Migration20261124092001_initial } from './Migration20261124092001_initial.js';

/** Every migration, in order. `npm run migration:create` writes the next file; add its class here. */
export const migrationsList = [Migration20261124092001_initial];
