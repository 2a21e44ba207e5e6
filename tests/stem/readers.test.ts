// Readers on real files (rosettasciio fixtures, GPL-3: read here, never copied). Expected values
// are those HyperSpy 1.7.3 / tifffile report (../shared/data/stem/SOURCES.md).
import { expect } from 'vitest';
import { LimitError, ParseError, SiteproofError } from '@siteproof/core';
import { readImage, readImageAsync, readDmTags } from '@siteproof/stem-stats';
import { describeShared, itShared, readSharedBytes } from '../helpers/shared';

const R = 'data/stem/rosettasciio';
const read = (rel: string) => readImage(readSharedBytes(rel), rel);

describeShared('stem readers on rosettasciio fixtures', () => {
  itShared('DM-exported TIFF: int32, Latin-1 "µm", scale 0.168675 µm → 168.675 nm', () => {
    const im = read(`${R}/tiff/test_loading_image_saved_with_DM.tif`);
    expect([im.width, im.height]).toEqual([68, 68]);
    expect(im.meta.sampleFormat).toBe('int');
    expect(im.pixelNm).toBeCloseTo(168.675, 2);
  });
  itShared('ImageJ TIFF: float32, unit=micron, XResolution 5.9286 px/µm; same pixels as the DM export', () => {
    const ij = read(`${R}/tiff/test_loading_image_saved_with_imageJ.tif`);
    const dm = read(`${R}/tiff/test_loading_image_saved_with_DM.tif`);
    expect(ij.pixelNm).toBeCloseTo(1000 / 5.928571, 3);
    expect(Array.from(ij.data)).toEqual(Array.from(dm.data));
  });
  itShared('FEI Helios TIFF: [Scan] PixelWidth 3.3724e-6 m', () => {
    const im = read(`${R}/tiff/FEI-Helios-Ebeam-16bits.tif`);
    expect([im.width, im.height]).toEqual([512, 471]);
    expect(im.pixelNm).toBeCloseTo(3372.4, 6);
  });
  itShared('DM3 STEM image: 68×68 uint32, 0.24854 nm/px', () => {
    const im = read(`${R}/digitalmicrograph/2D/test_STEM_image.dm3`);
    expect([im.width, im.height, im.meta.dataType]).toEqual([68, 68, 'uint32']);
    expect(im.pixelNm).toBeCloseTo(0.24854, 5);
  });
  itShared('DM4 2×2 int16, uncalibrated → pixelNm null with a warning', () => {
    const im = read(`${R}/digitalmicrograph/2D/test-1.dm4`);
    expect([im.width, im.height, im.meta.dataType]).toEqual([2, 2, 'int16']);
    expect(im.pixelNm).toBeNull();
    expect(im.warnings.join()).toMatch(/uncalibrated/);
  });
  itShared('DM3 with the "µm" unit (UK locale): 16×4 uint16 (4 rows), 0.005506 µm', () => {
    const im = read(`${R}/digitalmicrograph/Fei HAADF-UK_location.dm3`);
    expect([im.width, im.height]).toEqual([16, 4]);
    expect(im.pixelNm).toBeCloseTo(5.506, 3);
  });
  itShared('Re_bpy DM-exported palette TIFF: calibration tags hold 1.0 without a unit → uncalibrated', () => {
    const im = read('data/stem/sjeon_haadf_sac/Re_bpy_1h11.tif');
    expect([im.width, im.height]).toEqual([1024, 1024]);
    expect(im.pixelNm).toBeNull();
  });

  itShared('MRC (Direct Electron, mode 6): 16×16 uint16, voxel 56.79 Å = 5.679 nm', () => {
    const im = read(`${R}/mrc/HAADFscan.mrc`);
    expect([im.width, im.height, im.meta.mode]).toEqual([16, 16, 'uint16']);
    expect(im.pixelNm).toBeCloseTo(5.6791, 3);
  });
  itShared('TIA SER: 128×128 uint16 series, 0.38435 nm/px, first frame with a warning', () => {
    const im = read(`${R}/tia/old/03_Scanning Preview_1.ser`);
    expect([im.width, im.height, im.meta.dataType]).toEqual([128, 128, 'uint16']);
    expect(im.pixelNm).toBeCloseTo(0.38435, 4);
    expect(im.warnings.join()).toMatch(/first/);
  });
  itShared('Velox EMD (h5wasm): 3×3 int16 stack, PixelSize 8.17e-12 m; NCEM EMD v0.2: 3×3 uncalibrated', async () => {
    const v = await readImageAsync(readSharedBytes(`${R}/emd/fei_example_tem_stack.emd`), 'v.emd');
    expect([v.width, v.height, v.meta.format]).toEqual([3, 3, 'velox-emd']);
    expect(v.pixelNm).toBeCloseTo(0.00817, 4);
    const n = await readImageAsync(readSharedBytes(`${R}/emd/example_image.emd`), 'n.emd');
    expect([n.width, n.height, n.meta.format]).toEqual([3, 3, 'ncem-emd']);
    expect(Array.from(n.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(n.pixelNm).toBeNull();
    // A HyperSpy .hdf5 (atomap fixture) is neither flavour: a typed UnsupportedError, not a crash.
    await expect(readImageAsync(readSharedBytes('data/stem/atomap/test_ADF_cropped.hdf5'), 'a.hdf5')).rejects.toBeInstanceOf(SiteproofError);
    const b = readSharedBytes(`${R}/emd/fei_example_tem_stack.emd`);
    await expect(readImageAsync(b.subarray(0, 3000), 'cut.emd')).rejects.toBeInstanceOf(SiteproofError);
  });
  itShared('truncated MRC and SER give typed errors', () => {
    const m = readSharedBytes(`${R}/mrc/HAADFscan.mrc`);
    for (const cut of [100, 1500, m.length - 2]) expect(() => readImage(m.subarray(0, cut), 'cut.mrc')).toThrow(SiteproofError);
    const s = readSharedBytes(`${R}/tia/old/03_Scanning Preview_1.ser`);
    for (const cut of [10, 40, 5000]) expect(() => readImage(s.subarray(0, cut), 'cut.ser')).toThrow(SiteproofError);
  });
  itShared('truncated and corrupted DM files give typed errors at every cut, never a crash', () => {
    const b = readSharedBytes(`${R}/digitalmicrograph/2D/test_STEM_image.dm3`);
    for (const cut of [0, 8, 15, 16, 40, 200, 1000, Math.floor(b.length / 2), b.length - 3]) {
      let err: unknown;
      try {
        readImage(b.subarray(0, cut), 'cut.dm3');
      } catch (e) {
        err = e;
      }
      expect(err, `cut at ${cut}`).toBeInstanceOf(SiteproofError);
    }
    // Flip bytes throughout: either a typed error or a (garbage) image, never an untyped exception.
    for (let k = 0; k < 40; k++) {
      const bad = b.slice();
      const at = 16 + ((k * 7919) % (b.length - 16));
      bad[at] ^= 0xff;
      try {
        readImage(bad, 'bad.dm3');
      } catch (e) {
        expect(e, `flip at ${at}`).toBeInstanceOf(SiteproofError);
      }
    }
    expect(() => readDmTags(b, 'x.dm3', { maxDepth: 1 })).toThrow(LimitError);
    const tooShort = new Uint8Array([0, 0, 0, 3, 0, 0]);
    expect(() => readImage(tooShort, 'short.dm3')).toThrow(ParseError);
  });
  itShared('truncated TIFF fixtures give ParseError', () => {
    const b = readSharedBytes(`${R}/tiff/test_loading_image_saved_with_DM.tif`);
    for (const cut of [8, 100, 5000, b.length - 10]) expect(() => readImage(b.subarray(0, cut), 'cut.tif')).toThrow(SiteproofError);
  });
});
