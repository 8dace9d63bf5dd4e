import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/sql';
import { ReferenceKind, type Collection, type EntityClass, type Reference } from '@mikro-orm/core';
import { Face } from '../domain/faces/face.entity.js';
import { Capture } from '../domain/sessions/capture.entity.js';
import { Scenario } from '../domain/scenarios/scenario.entity.js';
import { ScenarioVersion } from '../domain/scenarios/scenario-version.entity.js';
import { SessionStep } from '../domain/sessions/session-step.entity.js';

/**
 * What a loader answers for an entity: its stored values, each many-to-one relation as just `{ id }` (what an entity's
 * reference also offers), no collections. An entity can be passed wherever a row is expected.
 */
export type Row<T> = {
  readonly [K in keyof T as T[K] extends Collection<object> ? never : K]: T[K] extends Reference<object> ? { id: string } : T[K];
};

/**
 * Reads rows of `entity` as plain values, through the ORM's filters (the tenant condition) and the entity manager's
 * session context or transaction (RLS). A loader's rows are only mapped to the API and dropped, and managing them as
 * entities (identity map, a reference object per relation, the change-tracking snapshot) cost three to four times the
 * read itself: most of a page of 100 sessions with nested relations (measured with a CPU profile of `bench:api`).
 */
async function readRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: Record<string, unknown>,
  options: { orderBy?: Record<string, 'asc' | 'desc'>; exclude?: readonly string[] } = {},
): Promise<Row<T>[]> {
  const meta = em.getMetadata().get(entity);
  const stored = meta.props.filter((p) => (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE) && !options.exclude?.includes(p.name));
  const qb = em.createQueryBuilder(entity).select(stored.map((p) => p.name) as never).where(where as never);
  if (options.orderBy) qb.orderBy(options.orderBy as never);
  await qb.applyFilters();
  const rows = (await qb.execute('all', true)) as Record<string, unknown>[];
  const relations = stored.filter((p) => p.kind === ReferenceKind.MANY_TO_ONE).map((p) => p.name);
  for (const row of rows) for (const name of relations) if (row[name] != null) row[name] = { id: row[name] };
  return rows as Row<T>[];
}

/** One query for many ids; answers in the order asked, `undefined` for ids not found (or not the tenant's). */
function byId<T extends { id: string }>(em: EntityManager, entity: EntityClass<T>, exclude: readonly string[] = []): DataLoader<string, Row<T> | undefined> {
  return new DataLoader(async (ids) => {
    const rows = await readRows(em, entity, { id: { $in: [...ids] } }, { exclude });
    const map = new Map(rows.map((r) => [(r as { id: string }).id, r]));
    return ids.map((id) => map.get(id));
  });
}

/** One query for the children of many parents, grouped by the foreign key `parent`, ordered by `orderBy`. */
function childrenOf<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  parent: string,
  orderBy: Record<string, 'asc' | 'desc'>,
  exclude: readonly string[] = [],
): DataLoader<string, Row<T>[]> {
  return new DataLoader(async (parentIds) => {
    const rows = await readRows(em, entity, { [parent]: { $in: [...parentIds] } }, { orderBy, exclude });
    const groups = new Map<string, Row<T>[]>(parentIds.map((id) => [id, []]));
    for (const row of rows) groups.get((row as Record<string, { id: string }>)[parent]!.id)?.push(row);
    return parentIds.map((id) => groups.get(id)!);
  });
}

/**
 * Columns the API never returns. A face's 512-float embedding is most of its row: reading and parsing it for a page
 * of faces cost more than the rest of the page (measured with `npm run bench:api` and a CPU profile).
 */
const FACE_UNEXPOSED = ['embedding'] as const;

/** Every relation read of a request goes through these (STYLE §2): N parents cost one query per relation. */
export function createLoaders(em: EntityManager) {
  return {
    scenario: byId(em, Scenario),
    scenarioVersion: byId(em, ScenarioVersion),
    sessionSteps: childrenOf(em, SessionStep, 'session', { position: 'asc' }),
    sessionFaces: childrenOf(em, Face, 'session', { createdAt: 'asc', size: 'desc' }, FACE_UNEXPOSED),
    stepCaptures: childrenOf(em, Capture, 'step', { createdAt: 'asc' }),
    face: byId(em, Face, FACE_UNEXPOSED),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;
