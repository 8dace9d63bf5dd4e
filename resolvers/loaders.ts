import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/sql';
import type { EntityClass } from '@mikro-orm/core';
import { readRows, type Row } from '../domain/database/read-rows.js';
import { Face } from '../domain/faces/face.entity.js';
import { Capture } from '../domain/sessions/capture.entity.js';
import { Scenario } from '../domain/scenarios/scenario.entity.js';
import { ScenarioVersion } from '../domain/scenarios/scenario-version.entity.js';
import { SessionStep } from '../domain/sessions/session-step.entity.js';

/** One query for many ids; answers in the order asked, `undefined` for ids not found (or not the tenant's). */
function byId<T extends { id: string }>(em: EntityManager, entity: EntityClass<T>, exclude: readonly string[] = []): DataLoader<string, Row<T> | undefined> {
  return new DataLoader(async (ids) => {
    const rows = await readRows(em, entity, { id: { $in: [...ids] } } as never, { exclude });
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
    const rows = await readRows(em, entity, { [parent]: { $in: [...parentIds] } } as never, { orderBy, exclude });
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
