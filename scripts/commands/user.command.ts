import { ActorType } from '../../domain/audit/audit-entry.entity.js';
import type { Manager, PasswordLink } from '../../domain/users/user-management.service.js';
import { UserRole } from '../../domain/users/user.entity.js';
import type { CliCommand } from './command.js';
import { parseAction, printResult } from './command-args.js';
import { withServices } from './with-services.js';

const INVITE = 'user invite --tenant SLUG --email E --role OWNER|ADMIN|OPERATOR|ANALYST [--json]';
const RESET = 'user reset-password --tenant SLUG --email E [--json]';

/** The CLI is idgraph itself, run by whoever runs the server: it manages owners too (the way to recover a tenant). */
const SYSTEM: Manager = { actor: { type: ActorType.SYSTEM, id: null }, isOwner: true };

const linkResult = (user: { id: string; email: string; role: UserRole }, link: PasswordLink) => ({
  userId: user.id,
  email: user.email,
  role: user.role,
  setPasswordPath: link.path,
  token: link.token,
  expiresAt: link.expiresAt.toISOString(),
});

/**
 * `idgraph user invite …` and `idgraph user reset-password …`: a one-time set-password link, printed (no mail server
 * is assumed). Exit codes: 0 done, 1 refused by the rules (no such tenant or user, email taken, bad email), 2 usage.
 */
const user: CliCommand = {
  name: 'user',
  summary: `${INVITE} | ${RESET}`,
  async run(argv) {
    if (argv[0] === 'reset-password') {
      const values = parseAction(argv, { usage: RESET, action: 'reset-password', options: { tenant: { type: 'string' }, email: { type: 'string' }, json: { type: 'boolean' } }, required: ['tenant', 'email'] });
      if (!values) return 2;
      const { user: reset, link } = await withServices(async (s) => {
        const tenant = await s.tenants.findBySlug(values.tenant!);
        const em = s.db.forTenant(tenant.id);
        return s.users.resetPassword(em, tenant.id, SYSTEM, (await s.users.findByEmail(em, values.email!)).id);
      });
      printResult(linkResult(reset, link), values.json);
      return 0;
    }
    const values = parseAction(argv, {
      usage: INVITE,
      action: 'invite',
      options: { tenant: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean' } },
      required: ['tenant', 'email', 'role'],
    });
    if (!values) return 2;
    const role = values.role!.toUpperCase();
    if (!Object.hasOwn(UserRole, role)) {
      console.error(`unknown role: ${values.role}\nusage: idgraph ${INVITE}`);
      return 2;
    }
    const { user: invited, link } = await withServices(async (s) => {
      const tenant = await s.tenants.findBySlug(values.tenant!);
      return s.users.invite(s.db.forTenant(tenant.id), tenant.id, SYSTEM, { email: values.email!, role: role as UserRole });
    });
    printResult(linkResult(invited, link), values.json);
    return 0;
  },
};

export default user;
