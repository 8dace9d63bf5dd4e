// `npm run bench:faces [-- --write] [-- --requests N]`: latency and throughput of the face
// pipeline for one selfie through the real worker pool (decode → detect → landmarks → align →
// embed → liveness, with and without age/gender), at concurrency 1 and 8. `--write` appends the
// results with the machine and date to docs/BENCHMARKS.md.
import { readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { type AnalyzeFacesOptions, createInference, type FaceTimings, type Inference } from '../inference/index.js';
import { cropSelfie, readDemoPhoto } from './faces-fixtures.js';

interface RunResult {
  /** 1-minute load average when the run started: the machine may be shared (development sessions). */
  load: number;
  label: string;
  concurrency: number;
  requests: number;
  p50: number;
  p95: number;
  facesPerSecond: number;
  stages: Record<string, number>;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(inference: Inference, image: Buffer, label: string, options: AnalyzeFacesOptions, concurrency: number, requests: number): Promise<RunResult> {
  const latencies: number[] = [];
  const stages: Array<Omit<FaceTimings, 'total'>> = [];
  let faces = 0;
  let next = 0;
  const load = loadavg()[0]!;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const t = performance.now();
        const analysis = await inference.analyzeFaces(image, options);
        latencies.push(performance.now() - t);
        stages.push(analysis.timings);
        faces += analysis.faces.filter((f) => !f.tooSmall).length;
      }
    }),
  );
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const median = (key: keyof Omit<FaceTimings, 'total'>) => percentile(stages.map((s) => s[key]).sort((a, b) => a - b), 50);
  return {
    load,
    label,
    concurrency,
    requests,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    facesPerSecond: faces / wall,
    stages: { decode: median('decode'), detect: median('detect'), landmarks: median('landmarks'), embed: median('embed'), liveness: median('liveness'), attributes: median('attributes') },
  };
}

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { write: { type: 'boolean' }, requests: { type: 'string' } } });
  const requests = Number(values.requests ?? 200);
  const photo = await readDemoPhoto('sample1.jpg');

  const inference = await createInference();
  try {
    // The selfie: the middle face of sample1.jpg with its surroundings, 480-ish px wide.
    const { faces } = await inference.analyzeFaces(photo, { search: 'fast' });
    const middle = [...faces].sort((a, b) => a.box.x - b.box.x)[1]!;
    const selfie = await cropSelfie(photo, middle.box);
    const meta = await sharp(selfie).metadata();
    console.log(`selfie ${meta.width}×${meta.height} JPEG ${selfie.length} B, workers ${inference.stats().workers}, ${requests} requests per run`);
    for (let i = 0; i < 20; i++) await inference.analyzeFaces(selfie); // JIT and allocator warm-up

    const results: RunResult[] = [];
    const pipelines: Array<[string, AnalyzeFacesOptions]> = [
      ['decode+detect+align+embed+liveness', { search: 'fast', attributes: false }],
      ['… + age + gender (full analyzeFaces)', { search: 'fast', attributes: true }],
    ];
    for (const [label, options] of pipelines) {
      for (const concurrency of [1, 8]) {
        const r = await measure(inference, selfie, label, options, concurrency, requests);
        results.push(r);
        console.log(
          `${label.padEnd(38)} c=${concurrency}  load ${r.load.toFixed(2)}  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  ${r.facesPerSecond.toFixed(1)} faces/s  stages(p50) ${Object.entries(r.stages).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`,
        );
      }
    }
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log(`peak RSS ${rssMb.toFixed(0)} MB (process, all worker threads)`);

    if (values.write) {
      const ort = JSON.parse(readFileSync(join(process.cwd(), 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')) as { version: string };
      const lines = [
        '',
        `### Faces, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        '',
        `Machine: ${availableParallelism()} cores (${cpuModel()}), Node ${process.version}, onnxruntime-node ${ort.version} (CPU, 1 intra-op thread per worker), ${inference.stats().workers} workers. ` +
          `Input: one ${meta.width}×${meta.height} JPEG selfie cut from face-api's sample1.jpg; latency is per request, end to end through the pool (queueing included); ${requests} requests per row after 20 warm-up requests.`,
        '',
        '| pipeline | concurrency | load before | p50 ms | p95 ms | faces/s | stage medians ms (decode / detect / landmarks / embed / liveness / age+gender) |',
        '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
        ...results.map(
          (r) =>
            `| ${r.label} | ${r.concurrency} | ${r.load.toFixed(2)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.facesPerSecond.toFixed(1)} | ${[r.stages.decode, r.stages.detect, r.stages.landmarks, r.stages.embed, r.stages.liveness, r.stages.attributes].map((v) => v!.toFixed(1)).join(' / ')} |`,
        ),
        '',
        `Peak RSS of the process (main thread + workers): ${rssMb.toFixed(0)} MB. Targets of issue 12: p50 ≤ 25 ms, ≥ 80 faces/s at concurrency 8. ` +
          '"load before" is the 1-minute load average as the row started; above ~1 other processes shared the two cores (stage medians then grow too).',
        '',
      ];
      await appendFile(join(process.cwd(), 'docs', 'BENCHMARKS.md'), lines.join('\n'));
      console.log('appended to docs/BENCHMARKS.md');
    }
  } finally {
    await inference.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
