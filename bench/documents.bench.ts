// `npm run bench:documents [-- --count N] [-- --write] [-- --skip-viz]`: full document analysis through the
// inference pool (acceptance, localisation, forensics, text detection, MRZ recognition with
// correction, orientation, visual zone cross-check, fields, warnings, portrait through the face
// pipeline) on generated, mildly distorted TD3 passports and TD1 cards: p50/p95 latency, stage
// medians, MRZ accuracy (valid composite check digit; lines identical to what was printed) and
// false visual-zone mismatches. `--write` appends the results with machine,
// load and date to docs/BENCHMARKS.md.
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createInference, type DocumentAnalysis } from '../inference/index.js';
import { generateMildSet, type GeneratedSample } from '../inference/documents/testing/document-generator.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '100' }, seed: { type: 'string', default: '2024' }, write: { type: 'boolean' }, 'skip-viz': { type: 'boolean' } } });
// --skip-viz measures the chain without the visual zone, to see what reading it costs.
const visualZone = values['skip-viz'] !== true;
const count = Number(values.count);
const seed = Number(values.seed);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50);
const ms = (v: number) => `${v.toFixed(0)} ms`;

interface Outcome {
  readonly sample: GeneratedSample;
  readonly analysis: DocumentAnalysis;
}

const loadBefore = loadavg()[0]!;
console.log(`generating ${count} documents (seed ${seed}) …`);
const samples = await generateMildSet(count, seed);
const inference = await createInference({ workers: 2 });
try {
  // Warm-up: first runs allocate ONNX Runtime buffers in both workers.
  for (const sample of samples.slice(0, 2)) await inference.analyzeDocument(sample.photo.image);
  const outcomes: Outcome[] = [];
  for (const sample of samples) {
    outcomes.push({ sample, analysis: await inference.analyzeDocument(sample.photo.image, { now: '2024-01-01', visualZone }) });
  }
  const loadAfter = loadavg()[0]!;
  const totals = outcomes.map((o) => o.analysis.timings.total).sort((a, b) => a - b);
  const composite = outcomes.filter((o) => o.analysis.mrz?.checks.find((c) => c.name === 'composite')?.valid === true);
  const exact = outcomes.filter((o) => JSON.stringify(o.analysis.mrz?.lines) === JSON.stringify(o.sample.mrz));
  const portraits = outcomes.filter((o) => o.analysis.portrait?.face?.embedding);
  const stage = (key: keyof DocumentAnalysis['timings']) => ms(median(outcomes.map((o) => o.analysis.timings[key])));
  const failures = outcomes.filter((o) => !exact.includes(o)).map((o) => `${o.sample.name}: ${o.analysis.mrz ? o.analysis.mrz.lines.join(' / ') : 'no MRZ'}`);
  const vizChecked = outcomes.filter((o) => o.analysis.fields.some((f) => f.visual?.foundBy === 'label'));
  const falseMismatches = outcomes.flatMap((o) => o.analysis.fields.filter((f) => f.isMismatch).map((f) => `${o.sample.name} ${f.name}: MRZ ${f.value}, printed ${f.visual?.value}`));
  const onCrop = portraits.filter((o) => o.analysis.portrait?.foundOn === 'document');
  const falseForensics = outcomes.flatMap((o) => o.analysis.warnings.filter((w) => ['IMAGE_TOO_BLURRY', 'GLARE_DETECTED', 'BLACK_WHITE_DOCUMENT', 'SCREEN_DETECTED', 'RECAPTURED_DOCUMENT', 'IMAGE_EDITED'].includes(w.code)).map((w) => `${o.sample.name} ${w.code}`));

  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const lines = [
    '',
    `### Documents, ${date} UTC`,
    '',
    `Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), pool of 2 workers, 1 ORT thread each; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (other agents share the machine).`,
    `Set: ${count} generated documents (seed ${seed}), TD3 and TD1 alternating, rotation ±5°, perspective ≤ 3%, document 60–85% of a 1280×960 photo, blur σ ≤ 0.8 on half, JPEG 70–95. One request at a time${visualZone ? '' : ', visual zone not read (--skip-viz)'}.`,
    '',
    '| measure | value | target |',
    '| --- | --- | --- |',
    `| full analysis p50 | ${ms(percentile(totals, 50))} | ≤ 250 ms |`,
    `| full analysis p95 | ${ms(percentile(totals, 95))} | |`,
    `| MRZ read with a valid composite check digit | ${composite.length}/${count} (${((100 * composite.length) / count).toFixed(1)}%) | ≥ 98% |`,
    `| MRZ lines identical to the printed ones | ${exact.length}/${count} (${((100 * exact.length) / count).toFixed(1)}%) | |`,
    `| portrait found with an embedding | ${portraits.length}/${count} (${onCrop.length} by the search on the document) | |`,
    `| visual zone read under its captions | ${vizChecked.length}/${count} | |`,
    `| visual zone ↔ MRZ mismatches on these unaltered documents (false alarms) | ${falseMismatches.length} | 0 |`,
    `| forensic warnings on these clean photos (false alarms) | ${falseForensics.length} | 0 |`,
    '',
    `Stage medians (the document task; the portrait runs on the other worker at the same time): decode ${stage('decode')}, localise ${stage('localize')}, forensics ${stage('forensics')}, text detection ${stage('detect')}, MRZ recognition ${stage('recognize')}, orientation and upright crop ${stage('orient')}, visual zone ${stage('viz')}; portrait ${stage('portrait')}.`,
    ...(failures.length > 0 ? ['', 'Misread:', ...failures.map((f) => `- ${f}`)] : []),
    ...(falseMismatches.length > 0 ? ['', 'False visual-zone mismatches:', ...falseMismatches.map((f) => `- ${f}`)] : []),
    ...(falseForensics.length > 0 ? ['', 'False forensic alarms:', ...falseForensics.map((f) => `- ${f}`)] : []),
    '',
  ];
  console.log(lines.join('\n'));
  if (values.write) {
    await appendFile(join(process.cwd(), 'docs', 'BENCHMARKS.md'), lines.join('\n'));
    console.log('appended to docs/BENCHMARKS.md');
  }
} finally {
  await inference.dispose();
}
