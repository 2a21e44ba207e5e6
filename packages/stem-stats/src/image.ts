/** A single-channel HAADF image as every stage of the package sees it. */
export interface Image {
  width: number;
  height: number;
  /** Row-major intensities (row y, column x at data[y * width + x]); raw counts as stored, not rescaled. */
  data: Float32Array;
  /** Pixel size in nm, or null when the file carries no trustworthy calibration. */
  pixelNm: number | null;
  /** Where the calibration came from and other file metadata worth keeping (strings/numbers only). */
  meta: Record<string, string | number | boolean>;
  /** Non-fatal findings of the reader (e.g. "calibration tags hold 1.0: treated as uncalibrated"). */
  warnings: string[];
}

/** Largest image the readers accept by default (pixels); a LimitError names the option that raises it. */
export const DEFAULT_MAX_PIXELS = 1 << 28;
