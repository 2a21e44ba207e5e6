// `siteproof tofsims image FILE.imzML --mz 109.9409 | --formula NiN2C2+`: ion image (summed
// intensity in an m/z window per pixel) from an imzML + .ibd pair.
import { IoError, ValidationError } from '@siteproof/core';
import { exactMass, ionImageFrom, readImzML } from '@siteproof/tofsims';
import { defineCommand } from '../../command';
import { numberFlag, stringFlag, toJson } from '../../args';
import { openByteSource, readInput, type FileByteSource } from '../../io';

export default defineCommand({
  path: ['tofsims', 'image'],
  summary: 'ion image for an m/z window from an imzML file and its .ibd',
  usage: 'tofsims image FILE.imzML (--mz MZ | --formula ION) [--tol-ppm 50] [--tol-mda 0] [--ibd FILE.ibd] [--json]',
  options: {
    json: { type: 'boolean' },
    mz: { type: 'string' },
    formula: { type: 'string' },
    'tol-ppm': { type: 'string' },
    'tol-mda': { type: 'string' },
    ibd: { type: 'string' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new ValidationError('give exactly one .imzML file', { field: 'FILE' });
    const name = ctx.positionals[0];
    const formula = stringFlag(ctx, 'formula');
    const mzFlag = numberFlag(ctx, 'mz');
    if ((formula === undefined) === (mzFlag === undefined)) throw new ValidationError('give either --mz or --formula', { field: 'mz' });
    const mz = formula !== undefined ? exactMass(formula).mz : mzFlag!;
    if (!(mz > 0)) throw new ValidationError('--mz must be positive', { field: 'mz' });
    const tol = Math.max((mz * (numberFlag(ctx, 'tol-ppm') ?? 50)) / 1e6, (numberFlag(ctx, 'tol-mda') ?? 0) / 1000);
    const xml = await readInput(ctx.cwd, name);
    const ibdName = stringFlag(ctx, 'ibd') ?? name.replace(/\.imzml$/i, '.ibd');
    const meta = readImzML(xml.bytes, xml.name);
    // The .ibd is opened for random access, never read whole: a multi-GB file costs one
    // spectrum at a time plus the image (issue 10, resource limits).
    let ibd: FileByteSource;
    try {
      ibd = await openByteSource(ctx.cwd, ibdName);
    } catch (e) {
      if (e instanceof IoError) throw new IoError(`the .ibd file is missing or unreadable (${e.detail})`, { file: ibdName }, 'give --ibd');
      throw e;
    }
    let img;
    try {
      img = await ionImageFrom(meta, ibd, mz - tol, mz + tol, ibdName);
    } finally {
      await ibd.close();
    }
    let total = 0;
    let max = 0;
    for (const v of img.values) (total += v), (max = Math.max(max, v));
    const doc = { file: xml.name, mode: meta.mode, mz, mzLow: img.mzLow, mzHigh: img.mzHigh, width: img.width, height: img.height, pixels: meta.pixels.length, total, max, values: img.values, acquired: img.acquired };
    if (ctx.values.json) {
      ctx.out(toJson(doc) + '\n');
      return;
    }
    ctx.out(`${xml.name}: ${meta.mode} imzML, ${img.width}×${img.height} (${meta.pixels.length} spectra); m/z ${img.mzLow.toFixed(4)}–${img.mzHigh.toFixed(4)}: total ${total.toPrecision(6)}, max ${max.toPrecision(6)}\n`);
  },
});
