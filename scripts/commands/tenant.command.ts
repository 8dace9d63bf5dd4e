import type { CliCommand } from './command.js';
import { parseAction, printResult } from './command-args.js';
import { withServices } from './with-services.js';

const USAGE = 'tenant create --name N --slug S --owner-email E [--owner-password P] [--json]';

/**
 * `idgraph tenant create …`: a tenant with its owner and a full-access token, printed once (the password is generated
 * unless given). Exit codes: 0 created, 1 refused by the rules (slug taken or malformed, weak password), 2 usage.
 */
const tenant: CliCommand = {
  name: 'tenant',
  summary: USAGE,
  async run(argv) {
    const values = parseAction(argv, {
      usage: USAGE,
      action: 'create',
      options: {
        name: { type: 'string' },
        slug: { type: 'string' },
        'owner-email': { type: 'string' },
        'owner-password': { type: 'string' },
        json: { type: 'boolean' },
      },
      required: ['name', 'slug', 'owner-email'],
    });
    if (!values) return 2;
    const created = await withServices((s) =>
      s.tenants.create({
        name: values.name!,
        slug: values.slug!,
        ownerEmail: values['owner-email']!,
        ownerPassword: values['owner-password'],
      }),
    );
    printResult(
      {
        tenantId: created.tenant.id,
        slug: created.tenant.slug,
        ownerEmail: created.owner.email,
        ownerPassword: created.ownerPassword,
        token: created.token.secret,
        scopes: created.token.scopes,
      },
      values.json,
    );
    return 0;
  },
};

export default tenant;
