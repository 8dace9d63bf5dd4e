import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readSample } from '../../test/fixtures/faces/face-fixtures.js';
import { FACE_MODELS } from './model-catalog.js';
import { BATCH_DIM_PARAM, withSymbolicBatch } from './onnx-batch.js';

const require = createRequire(import.meta.url);
const PACKAGE_DIR = dirname(require.resolve('faceplugin-face-recognition-js/package.json'));
const SESSION: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 };

/** Input layout of each face model and how the pipeline scales pixels for it (docs/MODELS.md). */
const INPUTS: Record<string, { dims: [number, number, number]; scale: (v: number, channel: number) => number }> = {
  fr_detect: { dims: [3, 240, 320], scale: (v) => (v - 127) / 128 },
  fr_landmark: { dims: [1, 64, 64], scale: (v) => v / 256 },
  fr_feature: { dims: [3, 112, 112], scale: (v) => (v - 127) / 128 },
  fr_liveness: { dims: [3, 128, 128], scale: (v) => v },
  fr_age: { dims: [3, 64, 64], scale: (v, c) => (v / 255 - [0.485, 0.456, 0.406][c]!) / [0.229, 0.224, 0.225][c]! },
  fr_gender: { dims: [3, 64, 64], scale: (v, c) => (v / 255 - [0.485, 0.456, 0.406][c]!) / [0.229, 0.224, 0.225][c]! },
};

/** Real pixels: windows of the face-api demo photos (faces, hair, background), resized to the model's input. */
async function photoInputs(name: string, count: number): Promise<Float32Array[]> {
  const { dims, scale } = INPUTS[name]!;
  const [channels, height, width] = dims;
  const inputs: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const photo = await readSample(`sample${(i % 6) + 1}.jpg`);
    const side = 260 + i * 40;
    const pixels = await sharp(photo)
      .extract({ left: 200 + i * 90, top: 120 + i * 30, width: side, height: side })
      .resize(width, height, { fit: 'fill' })
      .removeAlpha()
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .raw()
      .toBuffer();
    const input = new Float32Array(channels * width * height);
    for (let p = 0; p < width * height; p++) for (let c = 0; c < channels; c++) input[c * width * height + p] = scale(pixels[p * channels + c]!, c);
    inputs.push(input);
  }
  return inputs;
}

/** Runs `inputs` stacked as one batch; checks that every output is batched too (a `[1, -1]` Reshape would fold the batch into one row). */
async function run(session: ort.InferenceSession, inputs: readonly Float32Array[], dims: readonly number[]): Promise<Record<string, Float32Array>> {
  const stacked = new Float32Array(inputs.reduce((n, x) => n + x.length, 0));
  inputs.forEach((x, i) => stacked.set(x, i * x.length));
  const outputs = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', stacked, [inputs.length, ...dims]) });
  for (const tensor of Object.values(outputs)) expect(tensor.dims[0]).toBe(inputs.length);
  return Object.fromEntries(Object.entries(outputs).map(([k, t]) => [k, t.data as Float32Array]));
}

describe('symbolic batch dimension (install-time conversion)', () => {
  it.each(FACE_MODELS.map((m) => m.name))('%s: batched outputs equal single runs of the packaged graph', async (name) => {
    const spec = FACE_MODELS.find((m) => m.name === name)!;
    const packaged = await readFile(join(PACKAGE_DIR, spec.sourcePath));
    const converted = withSymbolicBatch(packaged);
    expect(Buffer.from(withSymbolicBatch(packaged).bytes).equals(Buffer.from(converted.bytes))).toBe(true); // deterministic

    const single = await ort.InferenceSession.create(packaged, SESSION);
    const batched = await ort.InferenceSession.create(converted.bytes, SESSION);
    try {
      const input = batched.inputMetadata[0]!;
      expect(input.isTensor && input.shape[0]).toBe(BATCH_DIM_PARAM);
      const { dims } = INPUTS[name]!;
      // Real photo windows, and one uniform-noise input (seeded, so a failure reproduces).
      let seed = 7;
      const noise = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 2 - 1);
      const inputs = [...(await photoInputs(name, 4)), noise];
      const together = await run(batched, inputs, dims);
      let worst = 0;
      for (const [i, input] of inputs.entries()) {
        const alone = await run(single, [input], dims);
        for (const [output, values] of Object.entries(alone)) {
          const row = together[output]!.subarray(i * values.length, (i + 1) * values.length);
          expect(together[output]!.length).toBe(values.length * inputs.length);
          for (let k = 0; k < values.length; k++) worst = Math.max(worst, Math.abs(row[k]! - values[k]!));
        }
      }
      expect(worst).toBeLessThan(1e-4);
    } finally {
      await single.release();
      await batched.release();
    }
  });

  it("rewrites exactly the Reshapes that hard-code the batch, and no graph's other bytes", async () => {
    const rewritten: Record<string, readonly string[]> = {};
    for (const spec of FACE_MODELS) {
      const packaged = await readFile(join(PACKAGE_DIR, spec.sourcePath));
      const { bytes, reshapes, tensors } = withSymbolicBatch(packaged);
      rewritten[spec.name] = reshapes;
      expect(tensors.length).toBeGreaterThanOrEqual(2); // the input and at least one output
      // Each rewrite changes a few bytes of the shape graph, never the weights: sizes stay within a few bytes.
      expect(Math.abs(bytes.length - packaged.length)).toBeLessThan(100);
    }
    // fr_feature and fr_gender flatten with a constant [1, -1]; the others compute their shapes from the input.
    expect(Object.fromEntries(Object.entries(rewritten).map(([k, v]) => [k, v.length]))).toEqual({
      fr_detect: 0,
      fr_landmark: 0,
      fr_feature: 1,
      fr_liveness: 0,
      fr_age: 0,
      fr_gender: 6,
    });
  });

  it('refuses bytes that are not an ONNX model', () => {
    expect(() => withSymbolicBatch(new TextEncoder().encode('not a model at all'))).toThrow(/ONNX|protobuf/);
  });
});
