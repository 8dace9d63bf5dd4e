import { FACE_MODELS } from '../models/model-catalog.js';
import { runtimeModelPath } from '../models/model-store.js';
import { type LoadedModel, loadModel, type RuntimeOptions, runModel } from '../runtime/onnx-runtime.js';

/** The face pipeline's sessions, one set per thread. */
export interface FaceModels {
  readonly detect: LoadedModel;
  readonly landmark: LoadedModel;
  readonly feature: LoadedModel;
  readonly liveness: LoadedModel;
  readonly age: LoadedModel;
  readonly gender: LoadedModel;
}

/**
 * Loads every face model from an installed models directory (see `ensureModels`): the graphs
 * derived with a symbolic batch dimension, so that several faces go through one run.
 */
export async function loadFaceModels(modelsDir: string, runtime: RuntimeOptions): Promise<FaceModels> {
  const load = (name: string) => {
    const spec = FACE_MODELS.find((m) => m.name === name)!;
    return loadModel(runtimeModelPath(modelsDir, spec), runtime);
  };
  const [detect, landmark, feature, liveness, age, gender] = await Promise.all(
    ['fr_detect', 'fr_landmark', 'fr_feature', 'fr_liveness', 'fr_age', 'fr_gender'].map(load),
  );
  return { detect: detect!, landmark: landmark!, feature: feature!, liveness: liveness!, age: age!, gender: gender! };
}

/** Releases the sessions' native memory. */
export async function releaseFaceModels(models: FaceModels): Promise<void> {
  await Promise.all(Object.values(models).map((m: LoadedModel) => m.session.release()));
}

/**
 * One run of every model on a blank input: ONNX Runtime allocates and plans on the first run,
 * which would otherwise land on the first real request (tens of milliseconds).
 */
export async function warmUpFaceModels(models: FaceModels): Promise<void> {
  const shapes: Array<[LoadedModel, number[]]> = [
    [models.detect, [1, 3, 240, 320]],
    [models.landmark, [1, 1, 64, 64]],
    [models.feature, [1, 3, 112, 112]],
    [models.liveness, [1, 3, 128, 128]],
    [models.age, [1, 3, 64, 64]],
    [models.gender, [1, 3, 64, 64]],
  ];
  for (const [model, dims] of shapes) await runModel(model, new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
}
