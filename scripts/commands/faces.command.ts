import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createInference, type Face, type FaceSearch, type Inference, InferenceError } from '../../inference/index.js';
import { loadConfig } from '../../server/config.js';
import { inferenceOptionsFrom } from '../../server/inference-handle.js';
import type { CliCommand } from './command.js';

const USAGE = [
  'faces detect <image> [--json] [--search auto|fast|thorough] [--embedding]',
  'faces compare <image1> <image2> [--json] [--threshold T] [--search auto|fast|thorough]',
];

/** What `faces detect` prints per face (the embedding only with --embedding: 512 numbers). */
function faceView(face: Face, withEmbedding: boolean) {
  const { embedding, landmarks68, ...rest } = face;
  return { ...rest, ...(withEmbedding ? { embedding } : {}), landmarks68: landmarks68.length };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * `idgraph faces detect <image>` and `idgraph faces compare <a> <b>`: the face pipeline from the
 * command line, with the server's inference configuration (IDGRAPH_DEVICE, IDGRAPH_MODELS_DIR, …).
 * Exit codes: 0 done (a compare that does not match is still 0), 1 an inference error, 2 usage.
 */
const faces: CliCommand = {
  name: 'faces',
  summary: `${USAGE[0]} | ${USAGE[1]!.slice('faces '.length)}`,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          json: { type: 'boolean' },
          embedding: { type: 'boolean' },
          threshold: { type: 'string' },
          search: { type: 'string' },
        },
      });
    } catch (error) {
      console.error(`${(error as Error).message}\nusage: idgraph ${USAGE.join('\n       idgraph ')}`);
      return 2;
    }
    const { positionals, values } = parsed;
    const [action, ...files] = positionals;
    const search = (values.search ?? 'auto') as FaceSearch;
    const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
    const usageOk =
      ((action === 'detect' && files.length === 1) || (action === 'compare' && files.length === 2)) &&
      ['auto', 'fast', 'thorough'].includes(search) &&
      (threshold === undefined || (Number.isFinite(threshold) && threshold >= -1 && threshold <= 1));
    if (!usageOk) {
      console.error(`usage: idgraph ${USAGE.join('\n       idgraph ')}`);
      return 2;
    }

    const started = performance.now();
    let images: Buffer[];
    try {
      images = await Promise.all(files.map((f) => readFile(f)));
    } catch (error) {
      console.error((error as Error).message);
      return 1;
    }
    const config = loadConfig();
    let inference: Inference | undefined;
    try {
      inference = await createInference({
        ...inferenceOptionsFrom(config),
        // One worker per image: a compare analyses both sides at once. Only the face task: the
        // OCR models would be loaded and warmed in every worker for nothing.
        workers: images.length,
        documents: false,
      });
      const startupMs = performance.now() - started;
      if (action === 'detect') {
        const analysis = await inference.analyzeFaces(images[0]!, { search });
        const out = {
          image: { file: files[0], width: analysis.width, height: analysis.height },
          faces: analysis.faces.map((f) => faceView(f, values.embedding === true)),
          timings: { ...Object.fromEntries(Object.entries(analysis.timings).map(([k, v]) => [k, round(v)])), startup: round(startupMs) },
        };
        if (values.json) console.log(JSON.stringify(out, null, 2));
        else printDetect(out.image, analysis.faces, analysis.timings.total);
        return 0;
      }
      const result = await inference.compareFaces(images[0]!, images[1]!, { search, ...(threshold === undefined ? {} : { threshold }) });
      const out = {
        similarity: Math.round(result.similarity * 10_000) / 10_000,
        match: result.match,
        decision: result.match ? 'MATCH' : 'NO_MATCH',
        threshold: result.threshold,
        faces: result.faces.map((f, i) => ({ file: files[i], box: f?.box, score: f?.score, size: f?.size })),
        timings: { compare: round(result.totalMs), startup: round(startupMs) },
      };
      if (values.json) console.log(JSON.stringify(out, null, 2));
      else console.log(`${out.decision}  similarity ${out.similarity.toFixed(4)}  threshold ${out.threshold}  (${out.timings.compare} ms)`);
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

function printDetect(image: { file?: string; width: number; height: number }, found: Face[], totalMs: number): void {
  console.log(`${image.file}: ${image.width}×${image.height}, ${found.length} face(s), ${round(totalMs)} ms`);
  for (const [i, f] of found.entries()) {
    const box = `${Math.round(f.box.x)},${Math.round(f.box.y)} ${Math.round(f.box.width)}×${Math.round(f.box.height)}`;
    if (f.tooSmall) {
      console.log(`  #${i + 1} box ${box}  score ${f.score.toFixed(3)}  size ${f.size}px  TOO SMALL (< 30 px)`);
      continue;
    }
    console.log(
      `  #${i + 1} box ${box}  score ${f.score.toFixed(3)}  size ${f.size}px  age ${f.age}  ${f.gender!.value} ${f.gender!.score.toFixed(2)}` +
        `  liveness ${f.liveness!.score.toFixed(3)}  sharpness ${f.sharpness}`,
    );
  }
}

export default faces;
