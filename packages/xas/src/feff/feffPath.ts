// Reader for FEFF's feffNNNN.dat path files (FEFF6 and FEFF8.5 layouts), following the
// header conventions Larch's FeffDatFile uses (larch/xafs/feffdat.py) so that every symbol a
// fit expression may name (reff, degen, rmass, vfermi, …) has Larch's value.
import { ParseError } from '@siteproof/core';
import { KTOE } from '../exafs/constants';
import { atomicMass, elementSymbol } from './elements';

export interface FeffPotential {
  ipot: number;
  z: number;
  rmt: number;
  rnm: number;
}

/** One atom of the path (Larch's geom tuple: label, iz, ipot, mass, x, y, z). */
export interface FeffAtom {
  label: string;
  /** Atomic number. */
  iz: number;
  ipot: number;
  /** Atomic mass (amu). */
  mass: number;
  x: number;
  y: number;
  z: number;
}

/** One FEFF scattering path: header values and the seven tabulated columns. */
export interface FeffPathData {
  fileName: string;
  title: string;
  version: string;
  /** Edge label from the `Abs` line ('K', 'L3', …). */
  shell: string;
  absorber: string;
  potentials: FeffPotential[];
  gamCh: number;
  exch: string;
  /** Mu (Fermi level, eV). */
  vmu: number;
  kf: number;
  /** Fermi energy from kf: KTOE·kf² (eV), Larch's vfermi. */
  vfermi: number;
  vint: number;
  rsInt: number;
  nleg: number;
  degen: number;
  reff: number;
  rnorman: number;
  edge: number;
  geom: FeffAtom[];
  /** Reduced mass of the path, 1/Σ(1/m_i) (amu). */
  rmass: number;
  k: Float64Array;
  realPhc: Float64Array;
  magFeff: Float64Array;
  phaFeff: Float64Array;
  redFact: Float64Array;
  lam: Float64Array;
  rep: Float64Array;
  /** Total phase = 2·phc + phase[feff]. */
  pha: Float64Array;
  /** Amplitude = mag[feff]·reduction factor. */
  amp: Float64Array;
}

function decode(input: Uint8Array | string): string {
  return typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
}

function num(word: string | undefined, file: string, line: number, field: string): number {
  // FEFF writes Fortran reals such as '.000' and '1.2D+01'.
  const v = word === undefined ? NaN : Number(word.replace(/[dD]/, 'e'));
  if (!Number.isFinite(v)) {
    throw new ParseError(`expected a number for ${field}, got '${word ?? ''}'`, { file, line, field });
  }
  return v;
}

/**
 * Parse a feffNNNN.dat file. Throws ParseError (file, line, field) when the path header is
 * missing, a data row does not have exactly 7 numbers, or there are fewer than 4 data rows.
 */
export function readFeffPath(input: Uint8Array | string, fileName = '<string>'): FeffPathData {
  const file = fileName;
  const lines = decode(input).split(/\r?\n/);
  let mode: 'header' | 'path' | 'arrays' = 'header';
  const potentials: FeffPotential[] = [];
  const geom: FeffAtom[] = [];
  const cols: number[][] = [[], [], [], [], [], [], []];
  let title = '';
  let version = '';
  let shell = 'K';
  let gamCh = 0;
  let exch = '';
  let vmu = 0;
  let kf = 0;
  let vint = 0;
  let rsInt = 0;
  let nleg = 0;
  let degen = NaN;
  let reff = NaN;
  let rnorman = 0;
  let edge = 0;
  let pcounter = 0;
  let sawPath = false;
  let sawColumns = false;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i].trim();
    if (line.startsWith('#')) line = line.slice(1).trim();
    if (i === 0) {
      title = lines[0].replace(/^\s*#/, '').trim().slice(0, 64).trim();
      const raw = lines[0].trim().replace(/^#/, '').trim();
      version = raw.slice(64).trim();
      continue;
    }
    if (line === '') continue;
    if (line.startsWith('k') && line.endsWith('real[p]@#')) {
      mode = 'arrays';
      sawColumns = true;
      continue;
    }
    if (line.slice(2, 10).includes('----')) {
      mode = 'path';
      sawPath = true;
      continue;
    }
    if (mode === 'header') {
      if ((/^Abs\b/.test(line) || /^Pot\s+\d+\b/.test(line)) && /\bZ\s*=/.test(line)) {
        const words = line.replace(/=/g, ' ').split(/\s+/);
        const isAbs = words[0] === 'Abs';
        words.shift();
        const ipot = isAbs ? 0 : num(words.shift(), file, lineNo, 'ipot');
        const z = num(words[1], file, lineNo, 'Z');
        const rmt = num(words[3], file, lineNo, 'Rmt');
        const rnm = num(words[5], file, lineNo, 'Rnm');
        if (isAbs && words[6] !== undefined) shell = words[6];
        potentials.push({ ipot, z, rmt, rnm });
      } else if (/^Gam_ch\s*=/.test(line)) {
        const m = /^Gam_ch\s*=\s*(\S+)\s*(.*)$/.exec(line);
        gamCh = num(m?.[1], file, lineNo, 'Gam_ch');
        exch = (m?.[2] ?? '').trim();
      } else if (/^Mu\s*=/.test(line)) {
        const words = line.replace(/=/g, ' ').replace(/eV/g, ' ').trim().split(/\s+/);
        vmu = num(words[1], file, lineNo, 'Mu');
        kf = num(words[3], file, lineNo, 'kf');
        vint = num(words[5], file, lineNo, 'Vint');
        rsInt = num(words[7], file, lineNo, 'Rs_int');
      }
    } else if (mode === 'path') {
      pcounter++;
      const words = line.split(/\s+/);
      if (pcounter === 1) {
        if (words.length < 5) {
          throw new ParseError(`path line needs 5 values (nleg, degen, reff, rnorman, edge), found ${words.length}`, { file, line: lineNo, field: 'path header' });
        }
        nleg = Math.round(num(words[0], file, lineNo, 'nleg'));
        degen = num(words[1], file, lineNo, 'degen');
        reff = num(words[2], file, lineNo, 'reff');
        rnorman = num(words[3], file, lineNo, 'rnorman');
        edge = num(words[4], file, lineNo, 'edge');
      } else if (pcounter > 2) {
        if (words.length < 5) {
          throw new ParseError(`atom line needs 'x y z ipot iz', found ${words.length} values`, { file, line: lineNo, field: 'geometry' });
        }
        const x = num(words[0], file, lineNo, 'x');
        const y = num(words[1], file, lineNo, 'y');
        const zc = num(words[2], file, lineNo, 'z');
        const ipot = Math.round(num(words[3], file, lineNo, 'ipot'));
        const iz = Math.round(num(words[4], file, lineNo, 'iz'));
        const label = words.length > 5 ? words[5] : elementSymbol(iz);
        geom.push({ label, iz, ipot, mass: atomicMass(iz), x, y, z: zc });
      }
    } else {
      const words = line.split(/\s+/);
      if (words.length !== 7) {
        throw new ParseError(`data row has ${words.length} columns, expected 7 (k, real[2*phc], mag[feff], phase[feff], red factor, lambda, real[p])`, { file, line: lineNo, field: 'columns' });
      }
      for (let c = 0; c < 7; c++) cols[c].push(num(words[c], file, lineNo, `column ${c + 1}`));
    }
  }
  if (!sawPath || !Number.isFinite(reff)) {
    throw new ParseError("no path header (a '-----' line followed by 'nleg, deg, reff, rnrmav, edge')", { file, line: lines.length, field: 'path header' }, 'is this a feffNNNN.dat file?');
  }
  if (!sawColumns) {
    throw new ParseError("no data block (the line 'k real[2*phc] … real[p]@#' is missing)", { file, line: lines.length, field: 'columns' });
  }
  const n = cols[0].length;
  if (n < 4) throw new ParseError(`only ${n} data rows; a path needs at least 4`, { file, line: lines.length, field: 'columns' });
  if (geom.length !== nleg) {
    throw new ParseError(`header says nleg=${nleg} but ${geom.length} atoms are listed`, { file, field: 'geometry' });
  }
  for (let i = 1; i < n; i++) {
    if (!(cols[0][i] > cols[0][i - 1])) throw new ParseError(`k is not increasing at data row ${i + 1}`, { file, field: 'k' });
  }
  const [k, realPhc, magFeff, phaFeff, redFact, lam, rep] = cols.map((c) => Float64Array.from(c));
  const pha = new Float64Array(n);
  const amp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    pha[i] = realPhc[i] + phaFeff[i];
    amp[i] = magFeff[i] * redFact[i];
  }
  let inv = 0;
  for (const a of geom) inv += 1 / a.mass;
  return {
    fileName,
    title,
    version,
    shell,
    absorber: geom[0]?.label ?? '',
    potentials,
    gamCh,
    exch,
    vmu,
    kf,
    vfermi: KTOE * kf * kf,
    vint,
    rsInt,
    nleg,
    degen,
    reff,
    rnorman,
    edge,
    geom,
    rmass: 1 / inv,
    k,
    realPhc,
    magFeff,
    phaFeff,
    redFact,
    lam,
    rep,
    pha,
    amp,
  };
}
