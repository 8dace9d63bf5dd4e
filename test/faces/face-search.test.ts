import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceIndexService } from '../../domain/faces/face-index.service.js';
import {
  explainFaceSearch,
  searchSimilarFaces,
  tenantFaceIndexName,
  tenantsNeedingFaceIndex,
  type FaceSearchHit,
} from '../../domain/faces/face-search.repository.js';
import { cosine, plantFaces, samplePerson, seededRandom, type PlantedPopulation } from '../../bench/synthetic-faces.js';
import { seedTenant } from '../support/seed.js';
import { createTestDatabase, testDrivers, type TestDatabase } from '../support/test-database.js';

// 10,000 synthetic identities with one stored face each, over three tenants of unequal size (60 / 30 / 10 %).
// One face per person is the hardest case for a graph index: the probe's only match is a single point among
// strangers that are all about equally far, with no same-person neighbours to lead the search to it.
const IDENTITIES = 10_000;
const SHARES = [0.6, 0.3, 0.1];
const PROBES_PER_TENANT = 100;

describe.each(testDrivers('face search'))('tenant-scoped face search on %s', (driver) => {
  let t: TestDatabase;
  let tenants: string[];
  let population: PlantedPopulation;
  let tenantOf: Map<string, string>;
  let sessionOf: Map<string, string>;
  const random = seededRandom(42);

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    tenants = [];
    for (const _ of SHARES) tenants.push((await seedTenant(t.db, 'faces')).tenant.id);
    population = await plantFaces(t.db, {
      tenants: tenants.map((tenantId, i) => ({ tenantId, persons: Math.round(SHARES[i]! * IDENTITIES) })),
      samplesPerPerson: 1,
      sessionsPerTenant: 100,
      seed: 11,
      maintenanceWorkMem: '256MB',
    });
    // The maintenance job, as the table's owner: tenants past the threshold get their own graph. A higher bar than
    // production's here, so the middle tenant (3,000 faces) takes the shared graph's path.
    const built = await new FaceIndexService(t.db, 5_000).ensureTenantIndexes();
    expect(built).toHaveLength(1);
    await t.db.orm.em.fork().getConnection().execute('analyze face');
    tenantOf = new Map(population.faces.map((f) => [f.id, f.tenantId]));
    sessionOf = new Map(population.faces.map((f) => [f.id, f.sessionId]));
  });
  afterAll(() => t?.dispose());

  /** A fresh photo of a random stored person of the tenant. */
  function probeOf(tenantId: string) {
    const persons = population.persons.filter((p) => p.tenantId === tenantId);
    const person = persons[Math.floor(random() * persons.length)]!;
    return { person, embedding: Array.from(samplePerson(person, random)) };
  }

  it('finds ≥ 0.99 of the planted same-person faces that exact search finds, and nothing of another tenant', async () => {
    let foundByExact = 0;
    let foundByIndex = 0;
    for (const tenantId of tenants) {
      const em = t.db.forTenant(tenantId);
      for (let i = 0; i < PROBES_PER_TENANT; i++) {
        const { person, embedding } = probeOf(tenantId);
        const planted = new Set(person.faceIds);
        const exact = await searchSimilarFaces(em, { tenantId, embedding, limit: 10 }, { exact: true });
        const indexed = await searchSimilarFaces(em, { tenantId, embedding, limit: 10 });
        const byExact = exact.filter((h) => planted.has(h.faceId)).map((h) => h.faceId);
        foundByExact += byExact.length;
        foundByIndex += byExact.filter((id) => indexed.some((h) => h.faceId === id)).length;
        for (const hit of [...exact, ...indexed]) expect(tenantOf.get(hit.faceId)).toBe(tenantId);
        expect(indexed).toHaveLength(10);
      }
    }
    // Exact search ranks every planted face first (same-person cosine ≈ 0.6–0.75, strangers ≈ 0).
    expect(foundByExact).toBe(tenants.length * PROBES_PER_TENANT);
    expect(foundByIndex / foundByExact).toBeGreaterThanOrEqual(0.99);
  });

  it('searches a large tenant in its own graph', async () => {
    const tenantId = tenants[0]!;
    const plan = await explainFaceSearch(t.db.forTenant(tenantId), { tenantId, embedding: probeOf(tenantId).embedding });
    expect(plan.join('\n')).toContain(tenantFaceIndexName(tenantId));
    expect(await tenantsNeedingFaceIndex(t.db.orm.em.fork(), 5_000)).toEqual([]);
  });

  it('keeps to the tenant even when probed with another tenant’s person', async () => {
    const [a, b] = tenants as [string, string];
    const { person, embedding } = probeOf(b);
    const hits = await searchSimilarFaces(t.db.forTenant(a), { tenantId: a, embedding, limit: 20, minSimilarity: 0 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => tenantOf.get(h.faceId) === a)).toBe(true);
    expect(hits.some((h) => person.faceIds.includes(h.faceId))).toBe(false);
    // Strangers only: nothing a same-person threshold would accept.
    expect(Math.max(...hits.map((h) => h.similarity))).toBeLessThan(0.35);
  });

  it('refuses an entity manager scoped to another tenant, or to none', async () => {
    const [a, b] = tenants as [string, string];
    const { embedding } = probeOf(a);
    await expect(searchSimilarFaces(t.db.forTenant(b), { tenantId: a, embedding })).rejects.toThrow(/same tenant/);
    await expect(searchSimilarFaces(t.db.asSystem(), { tenantId: a, embedding })).rejects.toThrow(/same tenant/);
  });

  it('returns only faces at or above minSimilarity, best first, with the similarity exact search gives', async () => {
    const tenantId = tenants[0]!;
    const em = t.db.forTenant(tenantId);
    const { person, embedding } = probeOf(tenantId);
    const exact = await searchSimilarFaces(em, { tenantId, embedding, limit: 10, minSimilarity: 0.4 }, { exact: true });
    expect(exact.map((h) => h.faceId)).toEqual(person.faceIds);
    const hits = await searchSimilarFaces(em, { tenantId, embedding, limit: 10, minSimilarity: 0.4 });
    expect(hits.every((h) => exact.some((e) => e.faceId === h.faceId))).toBe(true);
    expect(hits.every((h, i) => h.similarity >= 0.4 && (i === 0 || h.similarity <= hits[i - 1]!.similarity))).toBe(true);
    expect(exact[0]!.similarity).toBeCloseTo(cosine(embedding, await storedEmbedding(exact[0]!)), 4);
    expect(await searchSimilarFaces(em, { tenantId, embedding, limit: 10, minSimilarity: 0.99 })).toEqual([]);
  });

  it('skips the faces of the excluded session', async () => {
    const tenantId = tenants[1]!;
    const em = t.db.forTenant(tenantId);
    const { person, embedding } = probeOf(tenantId);
    const own = person.faceIds[0]!;
    const excludeSessionId = sessionOf.get(own)!;
    const hits = await searchSimilarFaces(em, { tenantId, embedding, limit: 50, excludeSessionId });
    expect(hits).toHaveLength(50);
    expect(hits.some((h) => h.sessionId === excludeSessionId || h.faceId === own)).toBe(false);
    // Exactly the other faces: exact search with the exclusion equals exact search without it, minus that session.
    const all = await searchSimilarFaces(em, { tenantId, embedding, limit: 100 }, { exact: true });
    const excluded = await searchSimilarFaces(em, { tenantId, embedding, limit: 50, excludeSessionId }, { exact: true });
    expect(all[0]!.faceId).toBe(own);
    expect(excluded.map((h) => h.faceId)).toEqual(all.filter((h) => h.sessionId !== excludeSessionId).slice(0, 50).map((h) => h.faceId));
  });

  async function storedEmbedding(hit: FaceSearchHit): Promise<number[]> {
    const [row] = await t.db.forTenant(tenantOf.get(hit.faceId)!).execute<Array<{ embedding: string }>>(`select embedding::text as embedding from face where id = ?`, [hit.faceId]);
    return JSON.parse(row!.embedding) as number[];
  }
});
