import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';

/** Strings a careless or hostile client sends: any code units (lone surrogates included), NUL, very long, SQL-ish. */
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', 'a\u0000b', '\ud800', "' or 1=1 --", '../../etc/passwd', 'idg_aaaaaaaaaa', '%00', 'x'.repeat(20_000), '\u202e', '<script>'),
);

/** Numbers around every edge GraphQL's Int and Float have. */
const hostileNumber = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 40, Number.MAX_SAFE_INTEGER, 1e308, 0.5), fc.double({ noNaN: true, noDefaultInfinity: true }));

/** JSON values nested a little and a lot. */
const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.integer({ min: 10, max: 40 }).map((depth) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  }),
);

/** Scalars by name; unknown scalars (added by other features) get strings, numbers and JSON. */
function scalarArbitrary(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case 'Int':
    case 'Float':
      return hostileNumber;
    case 'Boolean':
      return fc.boolean();
    case 'DateTimeISO':
      return fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), hostileString);
    case 'JSONObject':
      return hostileJson;
    case 'Upload':
      return fc.constant(null);
    default:
      return fc.oneof(hostileString, hostileNumber);
  }
}

/**
 * A fast-check arbitrary of values for an input type, mostly of the right shape and sometimes not (a wrong type, a
 * null where one is due, an unknown input field): the API must refuse the wrong ones with a typed error.
 */
export function inputArbitrary(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(fc.constant(null), hostileString, hostileNumber, fc.constant({ unexpected: true }));
  if (isNonNullType(type)) return fc.oneof({ weight: 9, arbitrary: inputArbitrary(type.ofType, depth) }, { weight: 1, arbitrary: wrong });
  if (isListType(type)) return fc.oneof(fc.constant(null), fc.array(inputArbitrary(type.ofType, depth + 1), { maxLength: 4 }));
  const named = getNamedType(type);
  let right: fc.Arbitrary<unknown>;
  if (isEnumType(named)) right = fc.constantFrom(...named.getValues().map((v) => v.name));
  else if (isInputObjectType(named)) {
    if (depth > 4) return fc.constant(null);
    const fields = Object.fromEntries(Object.values(named.getFields()).map((f) => [f.name, inputArbitrary(f.type, depth + 1)]));
    right = fc.record(fields, { requiredKeys: [] });
  } else if (isScalarType(named)) right = scalarArbitrary(named.name);
  else right = wrong;
  return fc.oneof({ weight: 9, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

/** `mutation($a: T!, …) { field(a: $a, …) { __typename } }` for a root field, its arguments all variables. */
export function operationFor(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>): string {
  const variables = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${kind}${variables ? `(${variables})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}
