import { Database } from '../../domain/database/database.js';
import { TenantService, type CreatedTenant } from '../../domain/tenants/tenant.service.js';
import { TokenService } from '../../domain/tokens/token.service.js';
import { InProcessBus } from '../../domain/events/in-process.bus.js';

let counter = 0;

/** Creates a tenant through the same service the CLI and the first start use (STYLE §8: seed through services). */
export async function seedTenant(db: Database, label = 'acme'): Promise<CreatedTenant> {
  counter += 1;
  const slug = `${label}-${process.pid}-${counter}`;
  return new TenantService(db, new TokenService(db, new InProcessBus())).create({
    name: `${label} ${counter}`,
    slug,
    ownerEmail: `owner@${slug}.test`,
    ownerPassword: 'correct horse battery staple',
  });
}
