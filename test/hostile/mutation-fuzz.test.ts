import fc from 'fast-check';
import type { GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraphQLSchema } from '../../resolvers/schema.js';
import { TYPED_CODES } from './hostile-case.js';
import { gql, startHostileTarget, type HostileTarget } from './hostile-target.js';
import { inputArbitrary, operationFor } from './type-arbitraries.js';

/** Runs per mutation and caller: enough to hit every argument's edges, short enough for `npm test`. */
const RUNS = 25;

/**
 * Property-based fuzzing of every mutation of the schema (fast-check): arguments generated from their GraphQL types,
 * mostly well-shaped and sometimes not, sent by a partner and by an applicant. Whatever the input, the answer is never a
 * 5xx, and every error carries a typed `extensions.code` other than INTERNAL_SERVER_ERROR. Mutations added later are
 * fuzzed too: the list comes from the built schema.
 */
describe('mutation inputs, fuzzed (pglite)', () => {
  let schema: GraphQLSchema;
  let target: HostileTarget;
  beforeAll(async () => {
    schema = await buildGraphQLSchema();
    target = await startHostileTarget('pglite');
  });
  afterAll(() => target?.node.dispose());

  it('fuzzes every mutation of the schema', async () => {
    const fields = Object.values(schema.getMutationType()!.getFields());
    expect(fields.length).toBeGreaterThan(10);
    for (const field of fields) {
      const query = operationFor('mutation', field);
      const variables = fc.record(Object.fromEntries(field.args.map((a) => [a.name, inputArbitrary(a.type)])), { requiredKeys: [] });
      for (const caller of ['partner', 'applicant'] as const) {
        await fc.assert(
          fc.asyncProperty(variables, async (vars) => {
            const outcome = await gql(target, query, vars, target[caller]);
            const context = `${field.name} as ${caller}: ${outcome.text.slice(0, 300)}`;
            expect(outcome.status, context).toBeLessThan(500);
            for (const code of outcome.codes) expect(TYPED_CODES.has(code ?? ''), context).toBe(true);
          }),
          // A fixed seed per field reproduces a failure; FUZZ_SEED explores others.
          { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 19) + field.name.length },
        );
      }
    }
  });
});
