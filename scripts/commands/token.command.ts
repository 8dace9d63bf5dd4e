import { parseArgs } from 'node:util';
import type { CliCommand } from './command.js';
import { withServices } from './with-services.js';

/** `idgraph token create --tenant SLUG --name N --scopes a,b [--expires-days D] [--json]`. */
const token: CliCommand = {
  name: 'token',
  summary: 'token create --tenant SLUG --name N --scopes sessions:read,… [--expires-days D] [--json]',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        name: { type: 'string' },
        scopes: { type: 'string' },
        'expires-days': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (positionals[0] !== 'create' || !values.tenant || !values.name || !values.scopes) {
      console.error(`usage: idgraph ${token.summary}`);
      return 2;
    }
    const days = values['expires-days'] === undefined ? undefined : Number(values['expires-days']);
    if (days !== undefined && !(Number.isFinite(days) && days > 0)) {
      console.error('--expires-days must be a positive number');
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
    const out = { id: created.token.id, prefix: created.token.prefix, scopes: created.token.scopes, expiresAt: created.token.expiresAt, token: created.secret };
    console.log(values.json ? JSON.stringify(out, null, 2) : Object.entries(out).map(([k, v]) => `${k}: ${String(v)}`).join('\n'));
    return 0;
  },
};

export default token;
