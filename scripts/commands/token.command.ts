import type { CliCommand } from './command.js';
import { parseAction, printResult } from './command-args.js';
import { withServices } from './with-services.js';

const USAGE = 'token create --tenant SLUG --name N --scopes sessions:read,… [--expires-days D] [--json]';

/**
 * `idgraph token create …`: a partner token of a tenant, printed once. Exit codes: 0 created, 1 refused by the rules
 * (no such tenant, unknown scope), 2 usage.
 */
const token: CliCommand = {
  name: 'token',
  summary: USAGE,
  async run(argv) {
    const values = parseAction(argv, {
      usage: USAGE,
      action: 'create',
      options: {
        tenant: { type: 'string' },
        name: { type: 'string' },
        scopes: { type: 'string' },
        'expires-days': { type: 'string' },
        json: { type: 'boolean' },
      },
      required: ['tenant', 'name', 'scopes'],
    });
    if (!values) return 2;
    const days = values['expires-days'] === undefined ? undefined : Number(values['expires-days']);
    if (days !== undefined && !(Number.isFinite(days) && days > 0)) {
      console.error(`--expires-days must be a positive number\nusage: idgraph ${USAGE}`);
      return 2;
    }
    const created = await withServices(async (s) => {
      const tenant = await s.tenants.findBySlug(values.tenant!);
      return s.tokens.create(s.db.forTenant(tenant.id), {
        tenantId: tenant.id,
        name: values.name!,
        scopes: values.scopes!.split(',').map((x) => x.trim()).filter(Boolean),
        expiresAt: days === undefined ? undefined : new Date(Date.now() + days * 86_400_000),
      });
    });
    printResult(
      { id: created.token.id, prefix: created.token.prefix, scopes: created.token.scopes, expiresAt: created.token.expiresAt?.toISOString() ?? null, token: created.secret },
      values.json,
    );
    return 0;
  },
};

export default token;
