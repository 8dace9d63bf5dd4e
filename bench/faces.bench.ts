// `npm run bench:faces [-- --write] [-- --requests N]`: latency and throughput of the face
// pipeline for one selfie through the real worker pool (decode → detect → landmarks → align →
// embed → liveness, with and without age/gender), at concurrency 1 and 8, with micro-batching off
// (batch size 1) and on (the default), the two pools measured alternately so that both see the
// same machine load. `--write` appends the results with the machine and date to docs/BENCHMARKS.md.
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
  batching: string;
  /** Requests per batch the pool handed to its workers, on average. */
  meanBatch: number;
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

async function measure(inference: Inference, batching: string, image: Buffer, label: string, options: AnalyzeFacesOptions, concurrency: number, requests: number): Promise<RunResult> {
  const before = inference.stats();
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
  const after = inference.stats();
  return {
    load,
    label,
    batching,
    meanBatch: (after.completed + after.failed - before.completed - before.failed) / Math.max(1, after.batches - before.batches),
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

  const pools: Array<[string, Inference]> = [
    ['off (batch size 1)', await createInference({ batchSize: 1 })],
    ['on (batch size ≤ 8)', await createInference()],
  ];
  const inference = pools[1]![1];
  try {
    // The selfie: the middle face of sample1.jpg with its surroundings, 480-ish px wide.
    const { faces } = await inference.analyzeFaces(photo, { search: 'fast' });
    const middle = [...faces].sort((a, b) => a.box.x - b.box.x)[1]!;
    const selfie = await cropSelfie(photo, middle.box);
    const meta = await sharp(selfie).metadata();
    console.log(`selfie ${meta.width}×${meta.height} JPEG ${selfie.length} B, workers ${inference.stats().workers} per pool, ${requests} requests per run`);
    for (const [, pool] of pools) await Promise.all(Array.from({ length: 20 }, () => pool.analyzeFaces(selfie))); // JIT and allocator warm-up, batched shapes too

    const results: RunResult[] = [];
    const pipelines: Array<[string, AnalyzeFacesOptions]> = [
      ['decode+detect+align+embed+liveness', { search: 'fast', attributes: false }],
      ['… + age + gender (full analyzeFaces)', { search: 'fast', attributes: true }],
    ];
    for (const [label, options] of pipelines) {
      for (const concurrency of [1, 8]) {
        for (const [batching, pool] of pools) {
          const r = await measure(pool, batching, selfie, label, options, concurrency, requests);
          results.push(r);
          console.log(
            `${label.padEnd(38)} c=${concurrency} batching ${batching.padEnd(20)} load ${r.load.toFixed(2)}  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  ${r.facesPerSecond.toFixed(1)} faces/s  mean batch ${r.meanBatch.toFixed(1)}  stages(p50) ${Object.entries(r.stages).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`,
          );
        }
      }
    }
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log(`peak RSS ${rssMb.toFixed(0)} MB (process, both pools' worker threads)`);

    if (values.write) {
      const ort = JSON.parse(readFileSync(join(process.cwd(), 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')) as { version: string };
      const lines = [
        '',
        `### Faces, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        '',
        `Machine: ${availableParallelism()} cores (${cpuModel()}), Node ${process.version}, onnxruntime-node ${ort.version} (CPU, 1 intra-op thread per worker), ${inference.stats().workers} workers in each of two pools (batching off and on; alive together, measured one at a time). ` +
          `Input: one ${meta.width}×${meta.height} JPEG selfie cut from face-api's sample1.jpg; latency is per request, end to end through the pool (queueing included); ${requests} requests per row after 20 warm-up requests.`,
        '',
        '| pipeline | concurrency | micro-batching | load before | p50 ms | p95 ms | faces/s | mean batch | stage medians ms (decode / detect / landmarks / embed / liveness / age+gender) |',
        '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
        ...results.map(
          (r) =>
            `| ${r.label} | ${r.concurrency} | ${r.batching} | ${r.load.toFixed(2)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.facesPerSecond.toFixed(1)} | ${r.meanBatch.toFixed(1)} | ${[r.stages.decode, r.stages.detect, r.stages.landmarks, r.stages.embed, r.stages.liveness, r.stages.attributes].map((v) => v!.toFixed(1)).join(' / ')} |`,
        ),
        '',
        `Peak RSS of the process (main thread + both pools' workers): ${rssMb.toFixed(0)} MB. Targets of issue 12: p50 ≤ 25 ms, ≥ 80 faces/s at concurrency 8. ` +
          '"load before" is the 1-minute load average as the row started; above ~1 other processes shared the two cores (stage medians then grow too).',
        '',
      ];
      await appendFile(join(process.cwd(), 'docs', 'BENCHMARKS.md'), lines.join('\n'));
      console.log('appended to docs/BENCHMARKS.md');
    }
  } finally {
    for (const [, pool] of pools) await pool.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
