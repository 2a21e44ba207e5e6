import { describe, expect, it } from 'vitest';
import { LimitError, ParseError, UnsupportedError } from '@siteproof/core';
import { readTiff } from './tiff';
import { writeTiff, type TiffPixelType } from './tiffWrite';
import { readImage } from './read';

const W = 5;
const H = 3;
const values = (signed: boolean) => Array.from({ length: W * H }, (_, i) => (signed ? i * 7 - 40 : i * 7));

describe('readTiff', () => {
  const cases: [TiffPixelType, boolean][] = [
    ['uint8', false], ['int8', true], ['uint16', false], ['int16', true], ['uint32', false], ['int32', true], ['float32', true], ['float64', true],
  ];
  for (const [type, signed] of cases) {
    it(`round-trips ${type} pixels exactly`, () => {
      const v = values(signed);
      const img = readTiff(writeTiff(v, W, H, { type }), 'x.tif');
      expect([img.width, img.height]).toEqual([W, H]);
      expect(Array.from(img.data)).toEqual(v);
    });
  }

  it('reads the ImageJ calibration (unit=nm, XResolution in px/nm)', () => {
    const img = readTiff(writeTiff(values(false), W, H, { pixelNm: 0.025 }), 'x.tif');
    expect(img.pixelNm).toBeCloseTo(0.025, 9);
    expect(img.meta.calibrationSource).toMatch(/ImageJ/);
  });

  it('reads DigitalMicrograph scale tags with a Latin-1 µm unit', () => {
    const bytes = writeTiff(values(false), W, H, { type: 'uint16', extraTags: { 65003: '\u00b5m', 65009: { double: [0.0012] }, 65010: { double: [0.0012] } } });
    const img = readTiff(bytes, 'dm.tif');
    expect(img.pixelNm).toBeCloseTo(1.2, 9);
  });

  it('reads the FEI [Scan] PixelWidth (metres)', () => {
    const bytes = writeTiff(values(false), W, H, { type: 'uint16', extraTags: { 34682: '[User]\r\nDate=1\r\n[Scan]\r\nPixelWidth=2.5e-11\r\n' } });
    expect(readTiff(bytes, 'fei.tif').pixelNm).toBeCloseTo(0.025, 12);
  });

  it('leaves an uncalibrated file uncalibrated (null), never guessing', () => {
    expect(readTiff(writeTiff(values(false), W, H), 'x.tif').pixelNm).toBeNull();
  });

  it('refuses a truncated file with a ParseError naming the file', () => {
    const b = writeTiff(values(false), W, H, { type: 'uint16' });
    expect(() => readTiff(b.subarray(0, b.length - 4), 'cut.tif')).toThrow(ParseError);
    expect(() => readTiff(b.subarray(0, b.length - 4), 'cut.tif')).toThrow(/cut\.tif.*truncated/);
    expect(() => readTiff(b.subarray(0, 6), 'cut.tif')).toThrow(ParseError);
  });

  it('refuses garbage and non-TIFF bytes', () => {
    expect(() => readImage(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'junk.bin')).toThrow(UnsupportedError);
    const b = writeTiff(values(false), W, H, { type: 'uint16' });
    const bad = b.slice();
    new DataView(bad.buffer).setUint32(4, 1 << 30, true); // IFD offset far outside the file
    expect(() => readTiff(bad, 'bad.tif')).toThrow(ParseError);
  });

  it('refuses unsupported pixel types and zero-size images with typed errors', () => {
    const b = writeTiff(values(false), W, H, { type: 'uint16' });
    const twelve = b.slice();
    // BitsPerSample entry is the 3rd IFD entry (tags sorted): value at 8 + 2 + 2*12 + 8.
    new DataView(twelve.buffer).setUint16(8 + 2 + 2 * 12 + 8, 12, true);
    expect(() => readTiff(twelve, 'odd.tif')).toThrow(UnsupportedError);
    const zero = writeTiff([], 0, 0, { type: 'uint16' });
    expect(() => readTiff(zero, 'empty.tif')).toThrow(ParseError);
    expect(() => readTiff(b, 'big.tif', { maxPixels: 4 })).toThrow(LimitError);
  });
});
