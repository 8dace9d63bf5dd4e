import { randomBytes } from 'node:crypto';
import { SYSTEM_QUERY, type Database } from '../database/database.js';
import { FaceListService } from '../face-lists/face-list.service.js';
import { ScenarioService } from '../scenarios/scenario.service.js';
import { ALL_SCOPES } from '../tokens/scopes.js';
import type { TokenService } from '../tokens/token.service.js';
import { UserRole, type User } from '../users/user.entity.js';
import { checkCredentials, UserService } from '../users/user.service.js';
import { Tenant } from './tenant.entity.js';
import { TenantError } from './tenant.errors.js';

/** Input of {@link TenantService.create}. */
export interface CreateTenantInput {
  name: string;
  slug: string;
  ownerEmail: string;
  /** Generated (and returned once) when absent. */
  ownerPassword?: string;
}

/** What creating a tenant hands back once: the only time the password and token secret are visible. */
export interface CreatedTenant {
  tenant: Tenant;
  owner: User;
  ownerPassword: string;
  token: { id: string; name: string; secret: string; scopes: readonly string[] };
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Tenants: creation with an owner and a full-access partner token, lookup by slug. */
export class TenantService {
  constructor(
    private readonly db: Database,
    private readonly tokens: TokenService,
    private readonly scenarios = new ScenarioService(),
    private readonly faceLists = new FaceListService(),
    private readonly users = new UserService(),
  ) {}

  /**
   * Creates a tenant, its OWNER user, a partner token with every scope, its blacklist and customer list, and the
   * three default scenarios.
   */
  async create(input: CreateTenantInput): Promise<CreatedTenant> {
    const slug = input.slug.trim().toLowerCase();
    if (!SLUG.test(slug)) throw new TenantError('INVALID_SLUG', 'slug: lowercase letters, digits and dashes, 1-64');
    const ownerPassword = input.ownerPassword ?? randomBytes(12).toString('base64url');
    checkCredentials(input.ownerEmail, ownerPassword); // before anything is written

    // Creating a tenant crosses tenants by nature (the slug is global), so it runs as the system role.
    const system = this.db.asSystem();
    if (await system.count(Tenant, { slug }, SYSTEM_QUERY)) {
      throw new TenantError('SLUG_TAKEN', `a tenant with slug "${slug}" exists`);
    }
    const tenant = system.create(Tenant, { name: input.name.trim(), slug });
    await system.flush();

    // Everything else goes through the tenant-scoped path like any later change, so RLS checks the inserts.
    const em = this.db.forTenant(tenant.id);
    const owner = await this.users.create(em, { tenantId: tenant.id, email: input.ownerEmail, password: ownerPassword, role: UserRole.OWNER });
    const lists = await this.faceLists.createDefaults(em, tenant.id);
    await this.scenarios.seedDefaults(em, tenant.id, { blacklistId: lists.blacklist.id, customersId: lists.customers.id });
    const { token, secret } = await this.tokens.create(em, {
      tenantId: tenant.id,
      name: 'Owner token',
      scopes: ALL_SCOPES,
      createdByUserId: owner.id,
    });
    return { tenant, owner, ownerPassword, token: { id: token.id, name: token.name, secret, scopes: token.scopes } };
  }

  /** Finds a tenant by slug across tenants (for sign-in and the CLI). */
  async findBySlug(slug: string): Promise<Tenant> {
    const tenant = await this.db.asSystem().findOne(Tenant, { slug: slug.toLowerCase() }, SYSTEM_QUERY);
    if (!tenant) throw new TenantError('TENANT_NOT_FOUND', `no tenant with slug "${slug}"`);
    return tenant;
  }

  /** Whether any tenant exists: the first start seeds a demo tenant only into an empty database. */
  async isEmpty(): Promise<boolean> {
    return (await this.db.asSystem().count(Tenant, {}, SYSTEM_QUERY)) === 0;
  }
}
