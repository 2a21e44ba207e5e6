// One fuzz target per reader/parser: seeds (real files from ../shared, read at run time and never
// copied, plus small files generated here) and the call under test. Shared by the fast vitest
// subset (tests/fuzz/readers.test.ts) and the long `pnpm fuzz` run (scripts/fuzz.ts).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { deflateSync, gzipSync as nodeGzip } from 'node:zlib';
import { ParseError } from '@siteproof/core';
import { buildMu, loadSpectrum, parseExpr, parseExpression, parseFitModel, readAscii, readAthenaProject, readColumnFile, readFeffPath, readSpec, readXdi } from '@siteproof/xas';
import { checkIbd, parseFormula, readAsciiSpectrum, readImzML, readImzMLSpectrum, readMzML, readPeakList } from '@siteproof/tofsims';
import { readDm, readEmd, readMrc, readSer, readTiff, writeTiff } from '@siteproof/stem-stats';
import { SHARED_DIR } from '../helpers/shared';

export interface FuzzTarget {
  name: string;
  /** Package whose reader this is (for the report: who fixes a crash). */
  owner: 'xas/io' | 'xas/feff' | 'xas/fit' | 'tofsims' | 'stem-stats';
  seeds: () => Uint8Array[];
  /** Tokens for generated garbage. */
  vocabulary: readonly string[];
  run: (bytes: Uint8Array) => unknown;
  /** Share of the run budget (slow readers, e.g. WebAssembly HDF5, get fewer cases). */
  weight?: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const gzipSync = (b: Uint8Array): Uint8Array => new Uint8Array(nodeGzip(b));
const zlibSync = (b: Uint8Array): Uint8Array => new Uint8Array(deflateSync(b));
export const text = (s: string): Uint8Array => enc.encode(s);

/** Real files under ../shared that exist (missing ones are skipped: seeds also come from here). */
export function shared(...rel: string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const r of rel) {
    const p = path.join(SHARED_DIR, r);
    if (existsSync(p)) {
      const b = readFileSync(p);
      out.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    }
  }
  return out;
}

const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

export const seedAscii = (): Uint8Array =>
  text(['# synthetic scan', '# energy i0 itrans', ...rows(30, (i) => `${8900 + 2 * i} ${1e5 + i} ${4e4 + 7 * i}`)].join('\n'));
export const seedXdi = (): Uint8Array =>
  text(
    [
      '# XDI/1.0 siteproof/1',
      '# Column.1: energy eV',
      '# Column.2: i0',
      '# Column.3: itrans',
      '# Element.symbol: Cu',
      '# Element.edge: K',
      '# Mono.d_spacing: 3.13553',
      '# ///',
      '#----',
      '# energy i0 itrans',
      ...rows(30, (i) => `${8900 + 2 * i} ${1e5 + i} ${4e4 + 7 * i}`),
    ].join('\n'),
  );
export const seedSpec = (): Uint8Array =>
  text(['#F x', '', '#S 1 ascan', '#N 3', '#L Energy  I0  Itrans', ...rows(15, (i) => `${8900 + i} ${100 + i} ${50 + i}`), '', '#S 2 ascan', '#N 3', '#L Energy  I0  Itrans', ...rows(15, (i) => `${9000 + i} ${100 + i} ${50 + i}`)].join('\n'));
export const seedPrj = (): Uint8Array =>
  text(
    [
      '# Athena project file -- Demeter version 0.9.26',
      "$old_group = 'abcde';",
      "@args = ('label','s1','npts',12,'bkg_e0','7112','nested',{'a' => [1,2]},'u',undef);",
      `@x = (${rows(12, (i) => `'${7100 + i}'`).join(',')});`,
      `@y = (${rows(12, (i) => `'${0.1 * i}'`).join(',')});`,
      '[record]',
      '1;',
    ].join('\n'),
  );
export const seedFeffPath = (): Uint8Array =>
  text(
    [
      ' Cu metal fcc a=3.6032                                           Feff 6L.02',
      ' Abs   Z=29 Rmt= 1.288 Rnm= 1.403 K  shell',
      ' Pot 1 Z=29 Rmt= 1.288 Rnm= 1.403',
      ' Gam_ch=1.761E+00 H-L exch',
      ' Mu=-4.726E+00 kf=1.839E+00 Vint=-1.570E+01 Rs_int= 1.986',
      ' Path    1      icalc       2',
      ' -----------------------------------------------------------------------',
      '   2  12.000   2.5478   3.8700  -0.2222 nleg, deg, reff, rnrmav(bohr), edge',
      '        x         y         z   pot at#',
      '      .0000     .0000     .0000  0  29 Cu       absorbing atom',
      '    -1.8016     .0000    1.8016  1  29 Cu',
      '    k   real[2*phc]   mag[feff]  phase[feff] red factor   lambda     real[p]@#',
      ...rows(20, (i) => `   ${(0.1 * i).toFixed(3)}  ${(2.1 - 0.01 * i).toFixed(4)}E+00  ${(0.1 + 0.001 * i).toFixed(4)}E+00  ${(-1 + 0.05 * i).toFixed(4)}E+00  ${(0.9).toFixed(4)}E+00  ${(5 + i).toFixed(4)}E+00  ${(1.8 + 0.01 * i).toFixed(4)}E+00`),
    ].join('\n'),
  );
export const seedModel = (): Uint8Array =>
  text(
    JSON.stringify({
      data: 'cu.chi',
      params: { amp: { value: 1, vary: true }, del_e0: { value: 0, vary: true }, sig2: { value: 0.003, vary: true, min: 0 } },
      transform: { kmin: 3, kmax: 16, kweight: 2, dk: 1, window: 'kaiser', rmin: 1.4, rmax: 3, fitspace: 'r' },
      paths: [{ feff: 'feff0001.dat', s02: 'amp', e0: 'del_e0', sigma2: 'sig2', deltar: '0.01*amp' }],
    }),
  );
export const seedSimsAscii = (): Uint8Array =>
  text(['# Mass (u)\tIntensity', ...rows(50, (i) => `${(1 + 0.1 * i).toFixed(4)}\t${Math.round(100 * Math.exp(-((i - 25) ** 2) / 20))}`)].join('\r\n'));
export const seedPeakList = (): Uint8Array => text(['Mass,Intensity,Formula', '58.9332,1200,Co+', '63.9291,300,Zn+', '104.9,50,', '195.0,5,Pt+'].join('\n'));

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
function f64(values: number[]): Uint8Array {
  return new Uint8Array(new Float64Array(values).buffer);
}
export const seedMzML = (): Uint8Array => {
  const bda = (acc: string, vals: number[], zlib: boolean) =>
    `<binaryDataArray encodedLength="0"><cvParam cvRef="MS" accession="MS:1000523" name="64-bit float"/>${zlib ? '<cvParam cvRef="MS" accession="MS:1000574" name="zlib compression"/>' : '<cvParam cvRef="MS" accession="MS:1000576" name="no compression"/>'}<cvParam cvRef="MS" accession="${acc}"/><binary>${b64(zlib ? zlibSync(f64(vals)) : f64(vals))}</binary></binaryDataArray>`;
  return text(
    `<?xml version="1.0" encoding="ISO-8859-1"?>\n<mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1.0">\n<run id="r"><spectrumList count="1">\n<spectrum index="0" id="s0" defaultArrayLength="4"><cvParam cvRef="MS" accession="MS:1000130" name="positive scan"/>\n<binaryDataArrayList count="2">\n${bda('MS:1000514', [12, 13, 14, 15], false)}\n${bda('MS:1000515', [1, 2, 3, 4], true)}\n</binaryDataArrayList></spectrum>\n</spectrumList></run></mzML>\n`,
  );
};

/** A small continuous-mode imzML + .ibd pair (2×1 pixels, 4 m/z values), made here. */
export function makeImzML(opts: { mode?: 'continuous' | 'processed'; uuid?: string; n?: number; offsets?: number[]; ibdSize?: number } = {}): { imzML: Uint8Array; ibd: Uint8Array } {
  const mode = opts.mode ?? 'continuous';
  const uuid = opts.uuid ?? '0123456789abcdef0123456789abcdef';
  const n = opts.n ?? 4;
  const mz = f64(Array.from({ length: n }, (_, i) => 100 + i));
  const spectra: { mzOff: number; itOff: number }[] = [];
  const parts: Uint8Array[] = [Uint8Array.from(uuid.match(/../g)!.map((h) => parseInt(h, 16)))];
  let off = 16;
  const push = (b: Uint8Array) => {
    parts.push(b);
    const o = off;
    off += b.length;
    return o;
  };
  const sharedMz = push(mz);
  for (let p = 0; p < 2; p++) {
    const mzOff = mode === 'continuous' ? sharedMz : push(mz);
    const itOff = push(f64(Array.from({ length: n }, (_, i) => (p + 1) * (i + 1))));
    spectra.push({ mzOff, itOff });
  }
  const ibd = new Uint8Array(off);
  let o = 0;
  for (const p of parts) (ibd.set(p, o), (o += p.length));
  const cv = (acc: string, value = '') => `<cvParam cvRef="IMS" accession="${acc}" name="x" value="${value}"/>`;
  const bda = (acc: string, offset: number) =>
    `<binaryDataArray encodedLength="0"><cvParam cvRef="MS" accession="${acc}" name="array"/><cvParam cvRef="MS" accession="MS:1000523" name="64-bit float"/><cvParam cvRef="MS" accession="MS:1000576" name="no compression"/>${cv('IMS:1000102', String(offset))}${cv('IMS:1000103', String(n))}${cv('IMS:1000104', String(8 * n))}</binaryDataArray>`;
  const xml = `<?xml version="1.0" encoding="ISO-8859-1"?>
<mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1">
<fileDescription><fileContent>${cv(mode === 'continuous' ? 'IMS:1000030' : 'IMS:1000031')}${cv('IMS:1000080', `{${uuid}}`)}<cvParam cvRef="MS" accession="MS:1000130" name="positive scan" value=""/></fileContent></fileDescription>
<scanSettingsList count="1"><scanSettings id="s">${cv('IMS:1000042', '2')}${cv('IMS:1000043', '1')}</scanSettings></scanSettingsList>
<run id="r"><spectrumList count="2">
${spectra
  .map(
    (s, i) =>
      `<spectrum id="p${i}" index="${i}" defaultArrayLength="${n}"><scanList count="1"><scan>${cv('IMS:1000050', String(i + 1))}${cv('IMS:1000051', '1')}</scan></scanList><binaryDataArrayList count="2">${bda('MS:1000514', (opts.offsets ?? [])[2 * i] ?? s.mzOff)}${bda('MS:1000515', (opts.offsets ?? [])[2 * i + 1] ?? s.itOff)}</binaryDataArrayList></spectrum>`,
  )
  .join('\n')}
</spectrumList></run></mzML>
`;
  return { imzML: text(xml), ibd };
}

export const seedTiff = (): Uint8Array => writeTiff(Float32Array.from({ length: 64 }, (_, i) => i % 7), 8, 8, { type: 'float32' });
export const seedMrc = (): Uint8Array => {
  // Minimal MRC2014: 1024-byte header, 8×8 float32 (mode 2).
  const nx = 8;
  const b = new Uint8Array(1024 + nx * nx * 4);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, nx, true);
  dv.setInt32(4, nx, true);
  dv.setInt32(8, 1, true);
  dv.setInt32(12, 2, true);
  dv.setInt32(28, nx, true);
  dv.setInt32(32, nx, true);
  dv.setInt32(36, 1, true);
  dv.setFloat32(40, 8, true);
  dv.setFloat32(44, 8, true);
  dv.setFloat32(48, 1, true);
  dv.setInt32(64, 1, true);
  dv.setInt32(68, 2, true);
  dv.setInt32(72, 3, true);
  b.set(text('MAP '), 208);
  b[212] = 0x44;
  b[213] = 0x44;
  for (let i = 0; i < nx * nx; i++) dv.setFloat32(1024 + 4 * i, i, true);
  return b;
};

const XAS = ['energy', 'i0', 'itrans', 'ifluor', 'mutrans', '#', 'XDI/1.0', 'Column.1:', '///', '----', '#S 1', '#L', '#N', '8979.0', '1.0D+03', '-1e309', '1e-5', 'nan'];
const PERL = ['$old_group', '@args', '@x', '@y', '=', '(', ')', '{', '}', '[', ']', '=>', "'", ',', ';', 'undef', '1;', '[record]', 'system("rm -rf /")', '`id`', 'qw(a b)', 'eval', '\\x{e9}'];
const XML = ['<?xml version="1.0"?>', '<mzML>', '</mzML>', '<run>', '</run>', '<spectrum ', '</spectrum>', '<cvParam accession="IMS:1000102" value="16"/>', '<binary>', '</binary>', 'AAAA', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', 'IMS:1000030', 'MS:1000514', '<binaryDataArray>', '</binaryDataArray>'];
const FORMULA = ['C', 'H', 'N', 'O', 'Ni', 'Fe', 'Co', 'Pt', '[60Ni]', '(', ')', '[', ']', '2', '99999999', '+', '-', '++', '(2-)', '⁺', '−'];

/** Mirror of the CLI's model-file edge (apps/cli/src/commands/xas/fit.ts): JSON errors become ParseErrors. */
function runModel(b: Uint8Array): unknown {
  let json: unknown;
  try {
    json = JSON.parse(dec.decode(b));
  } catch (e) {
    throw new ParseError(`not valid JSON: ${(e as Error).message}`, { file: 'model.json' });
  }
  return parseFitModel(json, 'model.json');
}

const SYNTH_UUID = '0123456789abcdef0123456789abcdef';
const imzPair = makeImzML({ uuid: SYNTH_UUID });
const MU_COLUMNS = readAscii(text(['# energy i0 itrans ifluor_1 ifluor_2', ...rows(12, (i) => `${8000 + i} ${1 + i} ${0.5 + 0.1 * i} ${3 + i} ${4 - 0.1 * i}`)].join('\n')), 'cols.dat');

export const targets: FuzzTarget[] = [
  { name: 'xas readXdi', owner: 'xas/io', vocabulary: XAS, seeds: () => [seedXdi(), ...shared('data/xas/xafsdata/cu_metal_rt.xdi', 'data/xas/xdi/good/fen_rt.xdi')], run: (b) => readXdi(b, 'f.xdi') },
  { name: 'xas readAscii', owner: 'xas/io', vocabulary: XAS, seeds: () => [seedAscii(), ...shared('data/xas/xafsdata/cu.xmu', 'data/xas/xafsdata/fexafs/fexanes_a.001', 'data/xas/xafsdata/cu.chi')], run: (b) => readAscii(b, 'f.dat') },
  { name: 'xas readSpec', owner: 'xas/io', vocabulary: XAS, seeds: () => [seedSpec()], run: (b) => readSpec(b, 'f.spec', { scan: 2 }) },
  { name: 'xas readAthenaProject', owner: 'xas/io', vocabulary: PERL, seeds: () => [seedPrj(), gzipSync(seedPrj()), ...shared('data/xas/xafsdata/fe_athena.prj')], run: (b) => readAthenaProject(b, 'f.prj') },
  { name: 'xas readColumnFile (gzip)', owner: 'xas/io', vocabulary: XAS, seeds: () => [gzipSync(seedAscii()), gzipSync(seedXdi())], run: (b) => readColumnFile(b, 'f.dat.gz') },
  {
    name: 'xas loadSpectrum + mu expression',
    owner: 'xas/io',
    vocabulary: XAS,
    seeds: () => [seedAscii(), seedXdi(), seedSpec()],
    run: (b) => {
      const s = loadSpectrum(b, 'f', { mu: 'ln(i0/itrans)' });
      for (const v of s.mu) if (!Number.isFinite(v)) throw new Error(`non-finite mu ${v} returned`);
      return s;
    },
  },
  {
    name: 'xas mu expression parser',
    owner: 'xas/io',
    vocabulary: ['ln', 'log', 'exp', 'sqrt', '(', ')', '/', '*', '+', '-', '^', 'i0', 'itrans', 'ifluor', '1e309', '.', ',', ' '],
    seeds: () => [text('ln(i0/itrans)'), text('(ifluor_1+ifluor_2)/i0'), text('-log(itrans/i0)*2.5e-1')],
    run: (b) => {
      const expr = dec.decode(b);
      parseExpr(expr, 'mu');
      const s = buildMu(MU_COLUMNS, { mu: expr });
      for (const v of s.mu) if (!Number.isFinite(v)) throw new Error(`non-finite mu ${v} returned`);
      return s;
    },
  },
  { name: 'xas readFeffPath', owner: 'xas/feff', vocabulary: XAS, seeds: () => [seedFeffPath(), ...shared('data/xas/feffit/feff0001.dat', 'data/xas/feffit/feff_feo02.dat')], run: (b) => readFeffPath(b, 'feff0001.dat') },
  { name: 'xas fit model JSON', owner: 'xas/fit', vocabulary: ['{', '}', '[', ']', '"data"', '"paths"', '"params"', ':', ',', '"s02"', 'null', 'true', '1e309', '"__proto__"'], seeds: () => [seedModel()], run: runModel },
  {
    name: 'xas fit constraint expression',
    owner: 'xas/fit',
    vocabulary: ['amp', 'sig2', '(', ')', '*', '/', '+', '-', '**', 'sqrt', 'debye', 'eins', 'max', 'min', ',', '1e309', 'pi'],
    seeds: () => [text('0.01*amp'), text('sigma2_eins(temp, theta)'), text('sqrt(sig2)+max(1,2)**2')],
    run: (b) => parseExpression(dec.decode(b), 'expr'),
  },
  { name: 'tofsims readAsciiSpectrum', owner: 'tofsims', vocabulary: XAS, seeds: () => [seedSimsAscii(), ...shared('data/tofsims/IONTOF_ascii_P_Ru_Bi1_1.txt')], run: (b) => readAsciiSpectrum(b, 'f.txt') },
  { name: 'tofsims readPeakList', owner: 'tofsims', vocabulary: XAS, seeds: () => [seedPeakList()], run: (b) => readPeakList(b, 'peaks.csv') },
  { name: 'tofsims readMzML', owner: 'tofsims', vocabulary: XML, seeds: () => [seedMzML()], run: (b) => readMzML(b, 'f.mzML') },
  {
    name: 'tofsims readImzML (metadata)',
    owner: 'tofsims',
    vocabulary: XML,
    seeds: () => [imzPair.imzML, ...shared('data/tofsims/Example_Continuous.imzML', 'data/tofsims/thyra_iontof_sparse.imzML')],
    run: (b) => {
      const m = readImzML(b, 'f.imzML');
      // Real files are paired with their own .ibd in the tofsims tests; the synthetic one is checked here.
      if (m.uuid !== SYNTH_UUID) return m;
      checkIbd(m, imzPair.ibd, 'f.ibd');
      return readImzMLSpectrum(m, imzPair.ibd, 0, 'f.ibd');
    },
  },
  {
    name: 'tofsims readImzML (streamed metadata)',
    owner: 'tofsims',
    vocabulary: XML,
    seeds: () => [imzPair.imzML],
    run: (b) => readImzML(b, 'f.imzML', { streamAboveBytes: 0 }),
  },
  {
    name: 'tofsims imzML .ibd',
    owner: 'tofsims',
    vocabulary: ['\u0000'],
    seeds: () => [imzPair.ibd],
    run: (b) => {
      const m = readImzML(imzPair.imzML, 'f.imzML');
      checkIbd(m, b, 'f.ibd');
      return readImzMLSpectrum(m, b, 1, 'f.ibd');
    },
  },
  { name: 'tofsims parseFormula', owner: 'tofsims', vocabulary: FORMULA, seeds: () => [text('NiN2C2+'), text('[60Ni]N2C2+'), text('C32H16CoN8(2-)'), text('(CH2)3[C6H5]2++')], run: (b) => parseFormula(dec.decode(b)) },
  { name: 'stem readTiff', owner: 'stem-stats', vocabulary: [], seeds: () => [seedTiff(), ...shared('data/stem/rosettasciio/tiff/test_loading_image_saved_with_DM.tif', 'data/stem/sjeon_haadf_sac/bpy_crop20.tif')], run: (b) => readTiff(b, 'f.tif') },
  { name: 'stem readDm (DM3/DM4)', owner: 'stem-stats', vocabulary: [], seeds: () => shared('data/stem/rosettasciio/digitalmicrograph/2D/test-1.dm4', 'data/stem/rosettasciio/digitalmicrograph/Fei HAADF-UK_location.dm3'), run: (b) => readDm(b, 'f.dm3') },
  { name: 'stem readMrc', owner: 'stem-stats', vocabulary: [], seeds: () => [seedMrc()], run: (b) => readMrc(b, 'f.mrc') },
  { name: 'stem readSer', owner: 'stem-stats', vocabulary: [], seeds: () => shared('data/stem/rosettasciio/tia/old/03_Scanning Preview_1.ser'), run: (b) => readSer(b, 'f.ser') },
  { name: 'stem readEmd', owner: 'stem-stats', vocabulary: [], weight: 0.1, seeds: () => shared('data/stem/rosettasciio/emd/example_image.emd'), run: (b) => readEmd(b, 'f.emd') },
];
