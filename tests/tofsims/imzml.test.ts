// Real imzML files (see ../shared/data/tofsims/SOURCES.md): the imzML project's 3×3 examples
// (continuous and processed) and thyra's IONTOF-dialect fixture (ISO-8859-1, value="" cvParams,
// sparse 6-of-16 pixels, 64-bit processed).
import { expect, it } from 'vitest';
import { describeShared, readSharedBytes } from '../helpers/shared';
import { checkIbd, ionImage, readImzML, readImzMLSpectrum } from '@siteproof/tofsims';

describeShared('imzML examples', () => {
  for (const name of ['Example_Continuous', 'Example_Processed']) {
    it(`${name}: 3×3 pixels, 8399 points, summed intensities equal the stored TIC`, () => {
      const meta = readImzML(readSharedBytes(`data/tofsims/${name}.imzML`), `${name}.imzML`);
      const ibd = readSharedBytes(`data/tofsims/${name}.ibd`);
      checkIbd(meta, ibd, `${name}.ibd`);
      expect(meta.mode).toBe(name.endsWith('Continuous') ? 'continuous' : 'processed');
      expect([meta.width, meta.height, meta.pixels.length]).toEqual([3, 3, 9]);
      for (let i = 0; i < 9; i++) {
        const s = readImzMLSpectrum(meta, ibd, i);
        expect(s.mz.length).toBe(8399);
        let tic = 0;
        for (const v of s.intensity) tic += v;
        // float32 data summed in float64: agreement to 1e-9 relative with the exporter's TIC.
        expect(Math.abs(tic - meta.pixels[i].tic!) / meta.pixels[i].tic!).toBeLessThan(1e-9);
      }
      const img = ionImage(meta, ibd, 0, 1e6);
      expect(Array.from(img.values).every((v, i) => Math.abs(v - meta.pixels.find((p) => (p.y - 1) * 3 + p.x - 1 === i)!.tic!) < 1e-6)).toBe(true);
    });
  }

  it('the streamed reader (for files too large for one string) gives the same pixel table', () => {
    for (const name of ['Example_Continuous', 'Example_Processed', 'thyra_iontof_sparse']) {
      const bytes = readSharedBytes(`data/tofsims/${name}.imzML`);
      const dom = readImzML(bytes, name);
      const streamed = readImzML(bytes, name, { streamAboveBytes: 0 });
      expect(streamed).toEqual(dom);
    }
  });

  it('thyra IONTOF-dialect fixture: value="" flags, braces UUID, sparse pixels', () => {
    const meta = readImzML(readSharedBytes('data/tofsims/thyra_iontof_sparse.imzML'), 'thyra_iontof_sparse.imzML');
    const ibd = readSharedBytes('data/tofsims/thyra_iontof_sparse.ibd');
    checkIbd(meta, ibd, 'thyra_iontof_sparse.ibd');
    expect(meta).toMatchObject({ mode: 'processed', polarity: 'positive', sims: true, width: 4, height: 4 });
    expect(meta.pixels.length).toBe(6);
    const img = ionImage(meta, ibd, 0, 1e6);
    expect(Array.from(img.acquired).reduce((a, b) => a + b, 0)).toBe(6);
    // A truncated .ibd is refused with the spectrum and byte range named.
    expect(() => checkIbd(meta, ibd.subarray(0, ibd.length - 1), 'cut.ibd')).toThrow(/outside the \.ibd/);
  });
});
