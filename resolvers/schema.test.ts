import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { emitSchemaSdl } from './schema.js';

describe('schema/schema.graphql', () => {
  it('is the SDL the code emits (run `npm run schema` after changing resolvers)', async () => {
    const committed = await readFile(new URL('../schema/schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(await emitSchemaSdl());
  });
});
