import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** What a sub-command with one action (`tenant create`, `token create`) accepts. */
export interface ActionSpec<O extends ParseArgsOptionsConfig> {
  /** The one line shown after `usage: idgraph`. */
  usage: string;
  action: string;
  options: O;
  /** Options that must be given. */
  required: readonly (keyof O & string)[];
}

/**
 * Parses `argv` against `spec`. A wrong action, an unknown option or a missing one is the caller's mistake, not a
 * failure: it prints what is wrong and the usage to stderr and answers undefined, for the command to exit with 2.
 */
export function parseAction<O extends ParseArgsOptionsConfig>(argv: string[], spec: ActionSpec<O>) {
  const problem = (message: string) => {
    console.error(`${message}\nusage: idgraph ${spec.usage}`);
    return undefined;
  };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: spec.options });
  } catch (error) {
    return problem((error as Error).message);
  }
  const [action, ...extra] = parsed.positionals;
  if (action !== spec.action || extra.length > 0) return problem(`unknown action: ${parsed.positionals.join(' ') || '(none)'}`);
  const values = parsed.values as Record<string, unknown>;
  const missing = spec.required.filter((name) => values[name] === undefined || values[name] === '');
  if (missing.length > 0) return problem(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
  return parsed.values;
}

/** Prints a command's result: JSON with `--json` (for scripts), otherwise one `key: value` line each. */
export function printResult(result: Record<string, unknown>, json: boolean | undefined): void {
  console.log(json ? JSON.stringify(result, null, 2) : Object.entries(result).map(([k, v]) => `${k}: ${String(v)}`).join('\n'));
}
