import { UnsupportedError, ValidationError } from '@siteproof/core';
import type { Image } from '../image';
import { isTiff, readTiff } from './tiff';
import { isDm, readDm } from './dm';

export interface ReadImageOptions {
  maxPixels?: number;
}

/** Read any supported image format, chosen by signature (then extension). */
export function readImage(bytes: Uint8Array | string, file: string, opts: ReadImageOptions = {}): Image {
  if (typeof bytes === 'string') throw new ValidationError('image readers take bytes, not text', { file });
  if (isTiff(bytes)) return readTiff(bytes, file, opts);
  if (/\.dm[34]$/i.test(file) || isDm(bytes)) return readDm(bytes, file, opts);
  throw new UnsupportedError('unrecognised image format', { file }, 'TIFF and DM3/DM4 are read');
}
