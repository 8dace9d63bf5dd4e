import type { EntityManager } from '@mikro-orm/sql';

/** The closest face on a list. */
export interface ListHit {
  faceId: string;
  sessionId: string;
  similarity: number;
}

/**
 * The face of a list nearest to a probe, if it reaches `minSimilarity`. Lists (blacklists, customer lists) are
 * compared exactly: a list is a few thousand faces at most, which the join on `face_list_entry` reaches directly,
 * and a blacklist is the one place where missing a face to an approximate index is not acceptable. The tenant
 * condition is written out (raw SQL escapes the ORM filter) and RLS confines the statement again.
 */
export async function nearestOnList(
  em: EntityManager,
  input: { tenantId: string; listId: string; embedding: readonly number[]; minSimilarity: number; excludeSessionId?: string },
): Promise<ListHit | null> {
  const probe = `[${input.embedding.join(',')}]`;
  const rows = await em.execute<{ id: string; session_id: string; similarity: number }[]>(
    `select f.id, f.session_id, 1 - (f.embedding <=> ?::vector) as similarity
       from face_list_entry e join face f on f.id = e.face_id and f.tenant_id = e.tenant_id
      where e.tenant_id = ? and e.list_id = ? and f.embedding is not null and f.session_id <> coalesce(?::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
      order by f.embedding <=> ?::vector limit 1`,
    [probe, input.tenantId, input.listId, input.excludeSessionId ?? null, probe],
  );
  const row = rows[0];
  if (!row || Number(row.similarity) < input.minSimilarity) return null;
  return { faceId: row.id, sessionId: row.session_id, similarity: Number(row.similarity) };
}
