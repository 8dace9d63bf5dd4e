import { helper, type EntityMetadata } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACE_EMBEDDING_DIMENSIONS } from '../../domain/database/embedding.js';
import { entities } from '../../domain/database/entities.js';
import { Face } from '../../domain/faces/face.entity.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';
import { computedProperties, computedValues, entityMetadata, entityRows, storedProperties, writeEntityRows, type EntityRows } from './entity-rows.js';

/** A unit vector with a 1 at `index`: distances between such vectors are known exactly. */
function basis(index: number): number[] {
  const v = new Array<number>(FACE_EMBEDDING_DIMENSIONS).fill(0);
  v[index] = 1;
  return v;
}

/** The primary key a relation points at (relations are compared by what they reference). */
function referencedId(value: unknown): unknown {
  return value == null ? value : helper(value as object).getPrimaryKey();
}

describe.each(testDrivers('entity round trip'))('every entity on %s', (driver) => {
  let t: TestDatabase;
  let rows: EntityRows;
  let metas: EntityMetadata[];
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    metas = entityMetadata(t.db);
    rows = entityRows('roundtrip');
    await writeEntityRows(t.db, rows);
  });
  afterAll(() => t?.dispose());

  it('has a row for every entity the ORM knows, with a value for every stored property', () => {
    expect(metas.map((m) => m.className).sort()).toEqual(entities.map((e) => e.name).sort());
    expect(Object.keys(rows).sort()).toEqual(metas.map((m) => m.className).sort());
    for (const meta of metas) {
      expect(Object.keys(rows[meta.className]!).sort(), meta.className).toEqual(storedProperties(meta).map((p) => p.name).sort());
    }
  });

  it('reads back every stored property of every entity as written, and what the database computes, as the tenant role', async () => {
    const em = t.db.forTenant(rows.Tenant!.id as string);
    for (const meta of metas) {
      const row = rows[meta.className]!;
      const read = (await em.findOneOrFail(meta.class, { id: row.id })) as Record<string, unknown>;
      for (const prop of storedProperties(meta)) {
        const value = prop.kind === 'scalar' ? read[prop.name] : referencedId(read[prop.name]);
        expect(value, `${meta.className}.${prop.name}`).toEqual(row[prop.name]);
      }
      const computed = computedValues[meta.className] ?? {};
      expect(Object.keys(computed).sort(), `${meta.className} computed`).toEqual(computedProperties(meta).map((p) => p.name).sort());
      for (const [name, expected] of Object.entries(computed)) expect(read[name], `${meta.className}.${name}`).toEqual(expected);
    }
  });

  it('loads every one-to-many collection with the row that points at it', async () => {
    const em = t.db.forTenant(rows.Tenant!.id as string);
    const collections = metas.flatMap((meta) => meta.props.filter((p) => p.kind === '1:m').map((prop) => ({ meta, prop })));
    expect(collections.length).toBeGreaterThan(0);
    for (const { meta, prop } of collections) {
      const read = (await em.findOneOrFail(meta.class, { id: rows[meta.className]!.id }, { populate: [prop.name] as never[] })) as Record<string, unknown>;
      const items = (read[prop.name] as { getItems(): object[] }).getItems();
      const child = rows[prop.targetMeta!.className]!;
      expect(child[prop.mappedBy], `${prop.targetMeta!.className}.${prop.mappedBy}`).toBe(rows[meta.className]!.id);
      expect(items.map(referencedId), `${meta.className}.${prop.name}`).toEqual([child.id]);
    }
  });

  it('ranks a tenant\'s faces by cosine distance on the vector column, and never another tenant\'s', async () => {
    const [a, b] = [entityRows('near-a'), entityRows('near-b')];
    await writeEntityRows(t.db, a);
    await writeEntityRows(t.db, b);
    /** A unit vector at cosine `c` from the query axis 3 (the rest on an axis of its own). */
    const at = (c: number, other: number) => basis(3).map((x, j) => (j === other ? Math.sqrt(1 - c * c) : x * c));
    const addFaces = async (r: EntityRows, cosines: number[]) => {
      const em = t.db.forTenant(r.Tenant!.id as string);
      const faces = cosines.map((c, i) =>
        em.create(Face, {
          tenant: r.Tenant!.id as string, session: r.Session!.id as string, capture: r.Capture!.id as string, box: { x: 0, y: 0, width: 50, height: 50 },
          landmarks: [], embedding: at(c, 100 + i), detectorScore: 0.9, size: 50,
        }),
      );
      await em.flush();
      return faces.map((f) => f.id);
    };
    // Created out of order, so insertion order cannot pass for ranking.
    const [, a09, a07, a08] = await addFaces(a, [0.6, 0.9, 0.7, 0.8]);
    // The other tenant holds the query itself and a near copy: a leak would rank them first.
    const [b10, b95] = await addFaces(b, [1, 0.95]);

    const query = `select id, embedding <=> ?::vector as distance from face order by embedding <=> ?::vector limit 3`;
    const q = `[${basis(3).join(',')}]`;
    const rowsA = await t.db.forTenant(a.Tenant!.id as string).execute<{ id: string; distance: number }[]>(query, [q, q]);
    expect(rowsA.map((r) => r.id)).toEqual([a09, a08, a07]);
    expect(rowsA.map((r) => Number(r.distance))).toEqual([expect.closeTo(0.1, 5), expect.closeTo(0.2, 5), expect.closeTo(0.3, 5)]);

    // Control: the owner, whom RLS does not confine, ranks the other tenant's faces first with the same query.
    const control = await t.db.orm.em.fork().execute<{ id: string }[]>(query, [q, q]);
    expect(control.map((r) => r.id)).toEqual([b10, b95, a09]);
  });
});
