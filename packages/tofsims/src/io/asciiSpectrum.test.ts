import { describe, expect, it } from 'vitest';
import { LimitError, ParseError, ValidationError } from '@siteproof/core';
import { readAsciiSpectrum } from './asciiSpectrum';
import { readPeakList } from './peakList';

const SURFACELAB = '# Binning: 200 channels\r\n# Deadtime Correction: on\r\nChannel\tm/z\tIntensity\r\n100\t0.000197\t0\r\n300\t0.000404\t5\r\n500\t0.000685\t2\r\n';

describe('readAsciiSpectrum', () => {
  it('reads the SurfaceLab layout (CRLF, tabs, header lines)', () => {
    const s = readAsciiSpectrum(SURFACELAB, 'p.txt');
    expect(Array.from(s.channel!)).toEqual([100, 300, 500]);
    expect(Array.from(s.mz)).toEqual([0.000197, 0.000404, 0.000685]);
    expect(Array.from(s.intensity)).toEqual([0, 5, 2]);
    expect(s.meta).toMatchObject({ binning: 200, deadtimeCorrection: true, source: 'p.txt' });
  });
  it('reads 2 and 3 columns without a name row, comma or space separated', () => {
    expect(Array.from(readAsciiSpectrum('1.0 10\n2.0 20\n').mz)).toEqual([1, 2]);
    expect(Array.from(readAsciiSpectrum('1.0,10\n2.0,20\n').intensity)).toEqual([10, 20]);
    const s3 = readAsciiSpectrum('10 1.0 5\n20 2.0 6\n');
    expect(Array.from(s3.channel!)).toEqual([10, 20]);
    expect(Array.from(readAsciiSpectrum(new TextEncoder().encode('Mass (u)\tIntensity\n1\t2\n3\t4\n')).intensity)).toEqual([2, 4]);
  });
  it('computes m/z from a calibration when the file has only channels', () => {
    const s = readAsciiSpectrum('Time\tCounts\n1000\t1\n2000\t2\n', 't.txt', { calibration: { t0: 0, k: 1000 } });
    expect(Array.from(s.mz)).toEqual([1, 4]);
    expect(() => readAsciiSpectrum('Time\tCounts\n1000\t1\n', 't.txt')).toThrow(ValidationError);
  });
  it('refuses bad input with typed errors and positions', () => {
    expect(() => readAsciiSpectrum('# only a header\n', 'e.txt')).toThrow(/e\.txt.*empty spectrum/);
    expect(() => readAsciiSpectrum('', 'e.txt')).toThrow(ParseError);
    expect(() => readAsciiSpectrum('1 10\n3 30\n2 20\n', 'n.txt')).toThrow(/n\.txt:3:1: m\/z axis decreasing/);
    expect(() => readAsciiSpectrum('1 10\n2 x\n', 'x.txt')).toThrow(/x\.txt:2:2: not a number/);
    expect(() => readAsciiSpectrum('1 10\n2 20 30\n', 'c.txt')).toThrow(/c\.txt:2: expected 2 columns/);
    expect(() => readAsciiSpectrum('1 2 3 4\n', 'w.txt')).toThrow(/4 columns/);
    expect(() => readAsciiSpectrum('1 10\n2 20\n', 'big.txt', { maxBytes: 4 })).toThrow(LimitError);
  });
});

describe('readPeakList', () => {
  it('reads m/z, area and labels from CSV', () => {
    const p = readPeakList('assignment,m/z,area\nNiN2C2+,109.9409,1200\nFeN4+,111.9467,800\n');
    expect(Array.from(p.mz)).toEqual([109.9409, 111.9467]);
    expect(Array.from(p.area)).toEqual([1200, 800]);
    expect(p.labels).toEqual(['NiN2C2+', 'FeN4+']);
  });
  it('names the bad cell', () => {
    expect(() => readPeakList('mz,area\n1,2\nabc,3\n', 'l.csv')).toThrow(/l\.csv:3:1: bad m\/z 'abc'/);
    expect(() => readPeakList('foo,bar\n1,2\n', 'l.csv')).toThrow(/no m\/z column/);
  });
});
