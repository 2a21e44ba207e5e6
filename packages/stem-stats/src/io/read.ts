import { UnsupportedError, ValidationError } from '@siteproof/core';
import type { Image } from '../image';
import { isTiff, readTiff } from './tiff';
import { isDm, readDm } from './dm';
import { isMrc, readMrc } from './mrc';
import { isSer, readSer } from './ser';
import { isHdf5, readEmd } from './emd';

export interface ReadImageOptions {
  maxPixels?: number;
}

/** Read any supported image format, chosen by signature (then extension). */
export function readImage(bytes: Uint8Array | string, file: string, opts: ReadImageOptions = {}): Image {
  if (typeof bytes === 'string') throw new ValidationError('image readers take bytes, not text', { file });
  if (isTiff(bytes)) return readTiff(bytes, file, opts);
  if (isHdf5(bytes)) throw new UnsupportedError('HDF5/EMD needs the asynchronous reader', { file }, 'use readImageAsync');
  if (isSer(bytes)) return readSer(bytes, file, opts);
  if (/\.dm[34]$/i.test(file) || isDm(bytes)) return readDm(bytes, file, opts);
  if (isMrc(bytes, file)) return readMrc(bytes, file, opts);
  throw new UnsupportedError('unrecognised image format', { file }, 'TIFF, DM3/DM4, MRC and TIA SER are read here; EMD through readImageAsync');
}

/** Like readImage, and also reads HDF5-based EMD files (WebAssembly, hence async). */
export async function readImageAsync(bytes: Uint8Array | string, file: string, opts: ReadImageOptions = {}): Promise<Image> {
  if (typeof bytes !== 'string' && isHdf5(bytes)) return readEmd(bytes, file, opts);
  return readImage(bytes, file, opts);
}
