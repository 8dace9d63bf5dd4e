import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createInference, type DocumentAnalysis, type Inference, InferenceError } from '../../inference/index.js';
import { loadConfig } from '../../server/config.js';
import { inferenceOptionsFrom } from '../../server/inference-handle.js';
import type { CliCommand } from './command.js';

const USAGE = 'document analyze <image> [--json] [--now ISO-DATE] [--no-portrait]';

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** What the command prints: the analysis with the portrait's embedding left out (512 numbers) and timings rounded. */
function view(file: string, analysis: DocumentAnalysis, startupMs: number) {
  const face = analysis.portrait?.face;
  return {
    image: { file, width: analysis.width, height: analysis.height },
    kind: analysis.kind,
    side: analysis.side,
    orientation: analysis.orientation,
    country: analysis.country,
    countryName: analysis.countryName,
    fields: analysis.fields,
    mrz: analysis.mrz,
    warnings: analysis.warnings,
    location: analysis.location,
    forensics: analysis.forensics,
    portrait: analysis.portrait
      ? face
        ? { foundOn: analysis.portrait.foundOn, box: face.box, score: face.score, size: face.size, age: face.age, gender: face.gender, liveness: face.liveness?.score ?? null, embedding: face.embedding ? `${face.embedding.length} floats` : null }
        : null
      : undefined,
    timings: { ...(Object.fromEntries(Object.entries(analysis.timings).map(([k, v]) => [k, round(v)])) as Record<keyof DocumentAnalysis['timings'], number>), startup: round(startupMs) },
  };
}

/**
 * `idgraph document analyze <image>`: the document pipeline from the command line (fields, MRZ
 * with check results, warnings, timings), with the server's inference configuration.
 * Exit codes: 0 analysed (whatever the warnings), 1 an inference error, 2 usage.
 */
const document: CliCommand = {
  name: 'document',
  summary: USAGE,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, now: { type: 'string' }, 'no-portrait': { type: 'boolean' } } });
    } catch (error) {
      console.error(`${(error as Error).message}\nusage: idgraph ${USAGE}`);
      return 2;
    }
    const { positionals, values } = parsed;
    const [action, file, ...rest] = positionals;
    const now = values.now === undefined ? undefined : new Date(values.now);
    if (action !== 'analyze' || !file || rest.length > 0 || (now !== undefined && Number.isNaN(now.getTime()))) {
      console.error(`usage: idgraph ${USAGE}`);
      return 2;
    }
    const started = performance.now();
    let image: Buffer;
    try {
      image = await readFile(file);
    } catch (error) {
      console.error((error as Error).message);
      return 1;
    }
    const config = loadConfig();
    let inference: Inference | undefined;
    try {
      inference = await createInference({
        ...inferenceOptionsFrom(config),
        // Two workers: the document task and the portrait's face analysis run side by side.
        workers: 2,
      });
      const startupMs = performance.now() - started;
      const analysis = await inference.analyzeDocument(image, { ...(now ? { now } : {}), portrait: values['no-portrait'] !== true });
      const out = view(file, analysis, startupMs);
      if (values.json) console.log(JSON.stringify(out, null, 2));
      else printSummary(out);
      return 0;
    } catch (error) {
      const e = InferenceError.from(error);
      if (values.json) console.log(JSON.stringify({ error: { code: e.code, message: e.message } }, null, 2));
      else console.error(`${e.code}: ${e.message}`);
      return 1;
    } finally {
      await inference?.dispose();
    }
  },
};

function printSummary(out: ReturnType<typeof view>): void {
  console.log(`${out.image.file}: ${out.image.width}×${out.image.height}, ${out.kind}${out.country ? ` of ${out.countryName ?? out.country}` : ''}, ${out.timings.total} ms`);
  for (const f of out.fields) {
    const flags = [f.isUnreadable ? 'UNREADABLE' : '', f.isMismatch ? 'MISMATCH' : ''].filter(Boolean).join(' ');
    console.log(`  ${f.title.padEnd(16)} ${String(f.value ?? '—').padEnd(24)} ${f.valueUTC?.slice(0, 10) ?? ''.padEnd(10)}  ${f.confidence.toFixed(2)} ${flags}`);
  }
  if (out.mrz) {
    console.log(`  MRZ ${out.mrz.format} ${out.mrz.valid ? 'valid' : 'INVALID'}`);
    for (const line of out.mrz.lines) console.log(`    ${line}`);
    for (const c of out.mrz.checks) console.log(`    ${c.valid ? 'ok ' : 'BAD'} ${c.name} check digit ${c.digit}${c.valid ? '' : `, must be ${c.expected}`}`);
    for (const e of out.mrz.errors) console.log(`    BAD ${e.field}: ${e.message}`);
  }
  for (const w of out.warnings) console.log(`  ! ${w.code} (${w.severity}, ${w.confidence}) ${w.message}`);
}

export default document;
