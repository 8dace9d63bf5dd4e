/**
 * A decoded image: 8-bit RGB, interleaved, rows top to bottom, EXIF orientation already applied.
 * Plain data so it can cross a worker boundary by structured clone.
 */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Container formats accepted by magic bytes (DESIGN.md §4: "JPEG or PNG by magic bytes, not by name"). */
export type ImageFormat = 'jpeg' | 'png';
