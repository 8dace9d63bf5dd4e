import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';

/** Another tenant's object ids by kind (`session`, `scenario`, `list`, …), which a hostile caller aims at. */
export type TargetIds = Record<string, string[]>;

/**
 * The ids an argument most likely wants, from the kinds named in the argument and its field (`sessionId`,
 * `archiveScenario(id)`): all of them when nothing matches, so a field nobody told this file about is still aimed at
 * every kind of object.
 */
export function idCandidates(fieldName: string, argName: string, ids: TargetIds): string[] {
  const words = `${fieldName} ${argName}`.toLowerCase();
  const named = Object.entries(ids).filter(([kind]) => words.includes(kind));
  // `addFaceToList(listId, faceId)`: the argument's own kind wins over the field's.
  const own = named.filter(([kind]) => argName.toLowerCase().includes(kind));
  const chosen = (own.length > 0 ? own : named).flatMap(([, values]) => values);
  return chosen.length > 0 ? chosen : Object.values(ids).flat();
}

/** Whether an argument carries an id: an `ID`, or a `String` named `…Id`. */
function isIdArgument(name: string, type: GraphQLInputType): boolean {
  const named = getNamedType(type).name;
  return named === 'ID' || (named === 'String' && /id$/i.test(name));
}

/** A valid-looking value of an input type: required input fields only, one list item, the first enum value. */
export function plausibleValue(type: GraphQLInputType, idFor: () => string, name = '', depth = 0): unknown {
  if (isNonNullType(type)) return plausibleValue(type.ofType, idFor, name, depth);
  if (isListType(type)) return [plausibleValue(type.ofType, idFor, name, depth + 1)];
  if (isIdArgument(name, type)) return idFor();
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.name;
  if (isInputObjectType(named)) {
    if (depth > 5) return {};
    const fields = Object.values(named.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return Object.fromEntries(fields.map((f) => [f.name, plausibleValue(f.type, idFor, f.name, depth + 1)]));
  }
  switch (named.name) {
    case 'Int':
      return 1;
    case 'Float':
      return 0.5;
    case 'Boolean':
      return false;
    case 'DateTimeISO':
      return new Date(Date.now() + 86_400_000).toISOString();
    case 'JSONObject':
      return {};
    case 'Upload':
      return null;
    default:
      return 'isolation';
  }
}

/** The variables of one call of a root field, the `round`-th combination of target ids. */
export function plausibleArguments(field: GraphQLField<unknown, unknown>, ids: TargetIds, round: number): Record<string, unknown> {
  return Object.fromEntries(
    field.args
      .filter((arg) => isNonNullType(arg.type) || isIdArgument(arg.name, arg.type))
      .map((arg) => {
        const candidates = idCandidates(field.name, arg.name, ids);
        const idFor = () => candidates[round % candidates.length]!;
        return [arg.name, plausibleValue(arg.type, idFor, arg.name)];
      }),
  );
}

/** How many calls aim a field at every candidate id of its arguments. */
export function roundsFor(field: GraphQLField<unknown, unknown>, ids: TargetIds): number {
  return Math.max(1, ...field.args.filter((a) => isIdArgument(a.name, a.type)).map((a) => idCandidates(field.name, a.name, ids).length));
}

/**
 * A selection of every leaf reachable within `depth` levels (fields without required arguments): whatever a field
 * could leak, the answer carries it.
 */
export function fullSelection(type: GraphQLOutputType, depth = 3): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named) && !isInterfaceType(named)) return '{ __typename }';
  const parts = Object.values(named.getFields())
    .filter((f) => !f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined))
    .flatMap((f) => {
      if (isLeafType(getNamedType(f.type))) return [f.name];
      if (depth <= 1) return [];
      const inner = fullSelection(f.type, depth - 1);
      return inner === '{ __typename }' || inner === '' ? [] : [`${f.name} ${inner}`];
    });
  return `{ __typename ${parts.join(' ')} }`;
}

/** `mutation($a: T!, …) { field(a: $a, …) { …every leaf… } }` for the variables given. */
export function operationWith(kind: string, field: GraphQLField<unknown, unknown>, variables: Record<string, unknown>): string {
  const args = field.args.filter((a) => a.name in variables);
  const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${fullSelection(field.type)} }`;
}
