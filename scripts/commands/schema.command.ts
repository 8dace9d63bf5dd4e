import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { emitSchemaSdl } from '../../resolvers/schema.js';
import type { CliCommand } from './command.js';

/** `idgraph schema:emit`: writes the SDL of the code-first schema to `schema/schema.graphql`. */
const schemaEmit: CliCommand = {
  name: 'schema:emit',
  summary: 'write schema/schema.graphql from the resolvers',
  async run() {
    const path = resolve('schema/schema.graphql');
    await writeFile(path, await emitSchemaSdl());
    console.log(`Wrote ${path}`);
    return 0;
  },
};

export default schemaEmit;
