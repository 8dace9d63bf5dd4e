import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/sql';
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

/** What {@link TenantService.seedDemo} creates; the owner's password is generated and shown once. */
const DEMO_TENANT: CreateTenantInput = { name: 'Demo', slug: 'demo', ownerEmail: 'owner@demo.idgraph.local' };

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
    const taken = () => new TenantError('SLUG_TAKEN', `a tenant with slug "${slug}" exists`);
    if (await system.count(Tenant, { slug }, SYSTEM_QUERY)) throw taken();
    const tenant = system.create(Tenant, { name: input.name.trim(), slug });
    try {
      await system.flush();
    } catch (error) {
      // Two creators of one slug at once both pass the count; the unique index decides, and the loser hears why.
      if (error instanceof UniqueConstraintViolationException) throw taken();
      throw error;
    }

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

  /**
   * The first start's demo tenant, created only into an empty database; undefined when there is one already. Nodes
   * starting together on one empty database all find it empty: the slug's unique index lets exactly one create it,
   * and the others start without seeding instead of failing.
   */
  async seedDemo(): Promise<CreatedTenant | undefined> {
    if ((await this.db.asSystem().count(Tenant, {}, SYSTEM_QUERY)) > 0) return undefined;
    try {
      return await this.create(DEMO_TENANT);
    } catch (error) {
      if (error instanceof TenantError && error.code === 'SLUG_TAKEN') return undefined;
      throw error;
    }
  }
}
