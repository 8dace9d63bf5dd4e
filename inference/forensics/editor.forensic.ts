/** Result of {@link findEditor}. */
export interface EditorMeasure {
  /** Software named in the metadata (any), e.g. a camera firmware or an editor. */
  readonly software: string | null;
  /** The editor recognised among {@link KNOWN_EDITORS}, `null` when none. */
  readonly editor: string | null;
  /** 0 … 1: 0.9 for a known editor in EXIF/XMP, 0 otherwise. */
  readonly score: number;
}

/**
 * Image editors and the names they write into EXIF `Software` or XMP `CreatorTool` /
 * `stEvt:softwareAgent`. Camera firmware writes the same tags ("HDR+ 1.0", "iOS 17.4",
 * "Ver.1.01"), so only these names count as editing.
 */
export const KNOWN_EDITORS: ReadonlyArray<readonly [RegExp, string]> = [
  [/photoshop/i, 'Adobe Photoshop'],
  [/lightroom/i, 'Adobe Lightroom'],
  [/adobe express|adobe spark/i, 'Adobe Express'],
  [/\bgimp\b/i, 'GIMP'],
  [/affinity/i, 'Affinity Photo'],
  [/paint\.net/i, 'Paint.NET'],
  [/pixelmator/i, 'Pixelmator'],
  [/snapseed/i, 'Snapseed'],
  [/picsart/i, 'PicsArt'],
  [/canva/i, 'Canva'],
  [/fotor/i, 'Fotor'],
  [/photopea/i, 'Photopea'],
  [/krita/i, 'Krita'],
  [/corel|paintshop/i, 'Corel PaintShop'],
  [/acdsee/i, 'ACDSee'],
  [/luminar/i, 'Luminar'],
  [/capture one/i, 'Capture One'],
  [/facetune/i, 'Facetune'],
  [/meitu/i, 'Meitu'],
];

/**
 * Looks for an editor's name in EXIF IFD0 `Software` (0x0131) and `ProcessingSoftware` (0x000B)
 * (EXIF 2.32 / TIFF 6.0) and in the software an XMP packet names ({@link xmpSoftware}). Absence proves nothing: editors can be told not to
 * write metadata, and re-saving strips it (docs/DOCUMENTS.md).
 */
export function findEditor(exif: Uint8Array | undefined, xmp: Uint8Array | undefined): EditorMeasure {
  const names: string[] = [];
  if (exif) names.push(...exifSoftware(exif));
  if (xmp) names.push(...xmpSoftware(new TextDecoder('utf-8', { fatal: false }).decode(xmp)));
  const software = names.find((n) => n.length > 0) ?? null;
  for (const name of names) {
    const known = KNOWN_EDITORS.find(([pattern]) => pattern.test(name));
    if (known) return { software: name, editor: known[1], score: 0.9 };
  }
  return { software, editor: null, score: 0 };
}

/**
 * Software an XMP packet names as its creator or as an agent of its edit history: `xmp:CreatorTool`
 * (`xap:` in XMP before 2005), `tiff:Software`, `stEvt:softwareAgent` (XMP specification part 2, ResourceEvent), as attributes or
 * elements. A `photoshop:History` entry is written only by Photoshop saving an edit; the rest of the
 * `photoshop:` namespace is not a sign of editing (phones and exporters write `photoshop:DateCreated`,
 * `photoshop:Credit` … into camera files).
 */
export function xmpSoftware(xmp: string): string[] {
  const names: string[] = [];
  for (const m of xmp.matchAll(/\b(?:xmp:CreatorTool|xap:CreatorTool|tiff:Software|stEvt:softwareAgent)(?:\s*=\s*"([^"]*)"|>([^<]*)<)/g)) names.push((m[1] ?? m[2] ?? '').trim());
  if (/\bphotoshop:History(?:\s*=\s*"[^"]*[^\s"][^"]*"|>\s*[^<\s])/.test(xmp)) names.push('Adobe Photoshop (photoshop:History)');
  return names;
}

/** ASCII values of tags 0x0131 and 0x000B in IFD0 of a raw EXIF block (with or without the `Exif\0\0` prefix). */
export function exifSoftware(exif: Uint8Array): string[] {
  let base = 0;
  if (exif.length >= 6 && String.fromCharCode(...exif.subarray(0, 4)) === 'Exif') base = 6;
  const view = new DataView(exif.buffer, exif.byteOffset, exif.byteLength);
  if (exif.length < base + 8) return [];
  const order = String.fromCharCode(exif[base]!, exif[base + 1]!);
  if (order !== 'II' && order !== 'MM') return [];
  const little = order === 'II';
  const u16 = (o: number) => view.getUint16(o, little);
  const u32 = (o: number) => view.getUint32(o, little);
  const ifd = base + u32(base + 4);
  if (ifd + 2 > exif.length) return [];
  const count = u16(ifd);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > exif.length) break;
    const tag = u16(entry);
    const type = u16(entry + 2);
    const length = u32(entry + 4);
    if ((tag !== 0x0131 && tag !== 0x000b) || type !== 2) continue;
    // ASCII values of up to 4 bytes sit in the entry itself, longer ones at an offset (TIFF 6.0 §2).
    const at = length <= 4 ? entry + 8 : base + u32(entry + 8);
    if (at + length > exif.length) continue;
    out.push(String.fromCharCode(...exif.subarray(at, at + length)).replace(/\0+$/, '').trim());
  }
  return out;
}
