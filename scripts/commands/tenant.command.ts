import { parseArgs } from 'node:util';
import type { CliCommand } from './command.js';
import { withServices } from './with-services.js';

/** `idgraph tenant create --name N --slug S --owner-email E [--owner-password P] [--json]`. */
const tenant: CliCommand = {
  name: 'tenant',
  summary: 'tenant create --name N --slug S --owner-email E [--owner-password P] [--json]',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        slug: { type: 'string' },
        'owner-email': { type: 'string' },
        'owner-password': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (positionals[0] !== 'create' || !values.name || !values.slug || !values['owner-email']) {
      console.error(`usage: idgraph ${tenant.summary}`);
      return 2;
    }
    const created = await withServices((s) =>
      s.tenants.create({
        name: values.name!,
        slug: values.slug!,
        ownerEmail: values['owner-email']!,
        ownerPassword: values['owner-password'],
      }),
    );
    const out = {
      tenantId: created.tenant.id,
      slug: created.tenant.slug,
      ownerEmail: created.owner.email,
      ownerPassword: created.ownerPassword,
      token: created.token.secret,
      scopes: created.token.scopes,
    };
    console.log(values.json ? JSON.stringify(out, null, 2) : Object.entries(out).map(([k, v]) => `${k}: ${String(v)}`).join('\n'));
    return 0;
  },
};

export default tenant;
