/** One `idgraph <name> …` sub-command of the CLI (`scripts/cli.ts`). */
export interface CliCommand {
  /** First word after `idgraph`, e.g. `faces` in `idgraph faces detect a.jpg`. */
  readonly name: string;
  /** One line shown by `idgraph --help`. */
  readonly summary: string;
  /** Runs the command with the words after its name; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}
