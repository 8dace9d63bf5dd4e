import { getMetadataStorage } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { buildGraphQLSchema } from './schema.js';

describe('authorization is declared on every root field (default deny)', () => {
  it('has @Authorized on every query, mutation and subscription', async () => {
    await buildGraphQLSchema();
    const storage = getMetadataStorage();
    const roots = [...storage.queries, ...storage.mutations, ...storage.subscriptions];
    expect(roots.length).toBeGreaterThan(5);
    const authorized = new Set(storage.authorizedFields.map((f) => `${f.target.name}.${f.fieldName}`));
    const missing = roots.map((r) => `${r.target.name}.${r.methodName}`).filter((key) => !authorized.has(key));
    expect(missing).toEqual([]);
  });
});
