import 'reflect-metadata';
import type { CliCommand } from './commands/command.js';

/** Sub-commands, loaded on demand so that `idgraph faces …` loads no database code and `serve` no CLI-only code. */
const commands: Record<string, () => Promise<{ default: CliCommand }>> = {
  serve: () => import('./commands/serve.command.js'),
  migrate: () => import('./commands/migrate.command.js'),
  'migration:create': () => import('./commands/migration.command.js'),
  tenant: () => import('./commands/tenant.command.js'),
  token: () => import('./commands/token.command.js'),
  'schema:emit': () => import('./commands/schema.command.js'),
  faces: () => import('./commands/faces.command.js'),
  document: () => import('./commands/document.command.js'),
  user: () => import('./commands/user.command.js'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    console.log('usage: idgraph <command> [options]\n');
    for (const loadOne of Object.values(commands)) {
      const c = (await loadOne()).default;
      console.log(`  ${c.name.padEnd(18)} ${c.summary}`);
    }
    return name && name !== '--help' && name !== 'help' ? 2 : 0;
  }
  return (await load()).default.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
