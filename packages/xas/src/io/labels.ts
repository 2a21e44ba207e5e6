// Column-label rules of Larch's read_ascii, re-implemented so that siteproof names the columns of
// a file exactly as Larch does (users move scripts between the two):
//  - fixVarname: pyshortcuts.fix_varname (bad characters and spaces → '_', leading digit → '_',
//    '=+-.' → '_', runs of '_' collapsed, one trailing '_' dropped);
//  - the generic rule: labels are the words of the last header line after stripping '#L', '#C',
//    '#', 'C' and the characters \t , # @ % & " ';
//  - beamline header templates (Larch's xafs_beamlines.py: GSE EpicsScan, APS XSD/MRCAT/12BM,
//    NSLS XDAC, SSRL, CLS HXMA, KEK-PF) that know where each beamline writes its labels.

const BAD_FILECHARS = ';~,`!%$@$&^?*#:"/|\'\\\t\r\n(){}[]<>';
const BAD_SET = new Set(BAD_FILECHARS.split(''));
const LETTERS_US = /^[A-Za-z_]/;

/** pyshortcuts.fix_filename(s, allow_spaces=False). */
function fixFilename(s: string): string {
  let f = '';
  for (const ch of s) f += BAD_SET.has(ch) || ch === ' ' ? '_' : ch;
  const dots = f.split('.');
  if (dots.length > 2) {
    const ext = dots.pop() as string;
    f = `${dots.join('_')}.${ext}`;
  }
  while (f.includes('__')) f = f.replace(/__/g, '_');
  return f;
}

/** pyshortcuts.fix_varname: a string → a valid (Python) variable name, as Larch names arrays. */
export function fixVarname(s: string): string {
  let v = fixFilename(s);
  if (v.length === 0 || !LETTERS_US.test(v)) v = `_${v}`;
  v = v.replace(/[=+\-.]/g, '_');
  while (v.includes('__')) v = v.replace(/__/g, '_');
  if (v.endsWith('_')) v = v.slice(0, -1);
  return v;
}

/** Larch's clean_label_line: strip SPEC/comment prefixes and separator characters. */
export function cleanLabelLine(line: string): string {
  let l = line;
  for (const p of ['#L', '#C', '#', 'C']) if (l.startsWith(p)) l = l.slice(p.length);
  return l.replace(/[\t,#@%&"']/g, ' ');
}

function pySplit(s: string): string[] {
  const t = s.trim();
  return t.length ? t.split(/\s+/) : [];
}

/** GenericBeamlineData._set_labels: lower-case, fix names, de-duplicate with '_colN', pad with colN. */
export function setLabels(words: string[], ncolumns?: number): string[] {
  const labels = words.map((w, i) => {
    const t = w.trim().toLowerCase();
    return t.length > 0 ? fixVarname(t) : `col${i + 1}`;
  });
  // A Set of the labels so far (after renaming), not slice().includes(): files with 10⁵ columns
  // (a 1 MB line of tab-separated numbers) must stay linear.
  const seen = new Set<string>();
  for (let i = 0; i < labels.length; i++) {
    if (seen.has(labels[i])) labels[i] = `${labels[i]}_col${i + 1}`;
    seen.add(labels[i]);
  }
  if (ncolumns !== undefined) for (let i = labels.length; i < ncolumns; i++) labels.push(`col${i + 1}`);
  return labels;
}

export interface BeamlineGuess {
  name: string;
  labels: string[];
  /** 1-based energy column (Larch's energy_column). */
  energyColumn: number;
  energyUnits: string;
  monoDspace?: number;
}

function generic(headers: string[]): BeamlineGuess {
  const last = headers.length >= 1 ? headers[headers.length - 1].trim() : '# ';
  return { name: 'generic', labels: setLabels(pySplit(cleanLabelLine(last))), energyColumn: 1, energyUnits: 'eV' };
}

function gse(headers: string[]): BeamlineGuess {
  const line1 = headers[0].toLowerCase();
  const labels: string[] = [];
  let energyUnits = 'eV';
  if (line1.startsWith('; epics scan 1 dim')) {
    let mode = 'search';
    for (const raw of headers) {
      const line = raw.slice(1).trim();
      if (mode === 'found legend') {
        if (line.length < 2 || !line.includes('-->')) mode = 'done';
        else {
          const pref = line.split('-->')[0];
          const parts = pref.split('=');
          if (parts.length !== 2) break; // Larch would raise here; keep what we have
          labels.push(parts[1].replace(/[{}]/g, '').trim());
        }
      } else if (mode === 'search' && line.includes('column labels:')) mode = 'found legend';
    }
  } else {
    for (const raw of headers) {
      if (!raw.startsWith('#')) break;
      const line = raw.slice(1).trim();
      if (line.toLowerCase().startsWith('column.') && line.includes('||')) {
        const label = line.split('||')[0];
        const parts = label.split(':');
        if (parts.length !== 2) continue;
        let entry = parts[1].trim();
        if (entry.includes(' ')) {
          const words = pySplit(entry);
          if (words.length > 1) {
            entry = words[0];
            if (entry.toLowerCase().includes('energy') && words[1].length > 1) energyUnits = words[1];
          }
        }
        labels.push(entry);
      }
    }
  }
  return { name: 'GSE EpicsScan', labels: setLabels(labels), energyColumn: 1, energyUnits };
}

function aps12bm(headers: string[]): BeamlineGuess {
  const words = pySplit(headers[headers.length - 1].replace(/#C/g, ' '));
  const labels: string[] = [];
  let energyUnits = 'eV';
  for (const w of words) {
    if (w.includes('_')) {
      const parts = w.split('_');
      if (parts.length === 2 && /^\s*[+-]?\d+\s*$/.test(parts[0])) labels.push(parts[1]);
    } else if (labels.length === 1) energyUnits = w.replace(/[()]/g, '');
  }
  return { name: 'APS 12BM', labels: setLabels(labels), energyColumn: 1, energyUnits };
}

function afterDashes(headers: string[], name: string): BeamlineGuess {
  let labels: string[] = [];
  let found = false;
  for (const line of headers) {
    if (found) {
      labels = pySplit(line);
      break;
    }
    if (line.includes('-------')) found = true;
  }
  return { name, labels: setLabels(labels), energyColumn: 1, energyUnits: 'eV' };
}

function isPyInt(s: string): boolean {
  return /^\s*[+-]?\d+\s*$/.test(s);
}

function apsXsd(headers: string[]): BeamlineGuess {
  let labels: string[] = [];
  let mode = 'search';
  const tmp = new Map<number, string>();
  let maxkey = -1;
  outer: for (const raw of headers) {
    let line = raw.slice(1).trim();
    if (mode === 'search' && line.includes('is a readable list of column')) mode = 'found legend';
    else if (mode === 'found legend') {
      if (line.length < 2) break;
      if (line.includes(')')) {
        if (line.startsWith('#')) line = line.slice(1).trim();
        const pars: number[] = [];
        for (let k = 0; k < line.length; k++) if (line[k] === ')') pars.push(k);
        pars.push(line.length);
        for (let k = 0; k < pars.length - 1; k++) {
          const j = pars[k];
          const key = line.slice(Math.max(0, j - 2), j);
          let z = pars[k + 1];
          if (z < line.length - 3) {
            let o = 1;
            for (o = 1; o < 4; o++) if (!isPyInt(line[z - o] ?? '')) break;
            if (o === 4) o = 3; // Python's loop variable stays at the last value when no break
            z = z - o + 1;
          }
          let val = line.slice(j + 1, z).trim();
          if (val.endsWith('*')) val = val.slice(0, -1).trim();
          if (!isPyInt(key)) continue outer;
          const ik = parseInt(key, 10);
          maxkey = Math.max(maxkey, ik);
          tmp.set(ik, val);
        }
      }
    }
  }
  if (tmp.size > 1) {
    maxkey = Math.max(maxkey, tmp.size);
    const arr: string[] = new Array(maxkey + 5).fill('');
    for (const [k, v] of tmp) if (k >= 0 && k < arr.length) arr[k] = v;
    labels = arr.filter((o) => o.length > 0);
  }
  if (labels.length === 0) {
    const labelline = headers[headers.length - 1].replace(/#/g, '');
    const words = labelline.split('*');
    if (words.length > 1) {
      const last = words.pop() as string;
      words.push(...pySplit(last));
    }
    labels = words;
  }
  return { name: 'APS XSD', labels: setLabels(labels), energyColumn: 1, energyUnits: 'eV' };
}

function ssrl(headers: string[]): BeamlineGuess {
  let labels: string[] = [];
  let energyColumn = 1;
  let mode = 'search';
  for (const raw of headers) {
    const line = raw.trim();
    if (mode === 'found legend') {
      if (line.length < 2) break;
      labels.push(line);
      if (line.toLowerCase().includes('energy')) energyColumn = labels.length;
    } else if (mode === 'search' && line === 'Data:') mode = 'found legend';
  }
  if (labels.length < 1) labels = pySplit(cleanLabelLine(headers[headers.length - 1].trim()));
  return { name: 'SSRL', labels: setLabels(labels), energyColumn, energyUnits: 'eV' };
}

function clsHxma(headers: string[]): BeamlineGuess {
  let labels: string[] = [];
  for (const raw of headers) {
    let line = raw.trim();
    if (line.startsWith('#(1)') && line.includes('$(')) {
      line = line.replace(/#\(1\)/g, '').replace(/["#$()\t]/g, ' ');
      labels = pySplit(line);
    }
  }
  labels = labels.map((w) => fixVarname(w.trim().toLowerCase()));
  let energyColumn = 1;
  labels.forEach((l, i) => {
    if (l.includes('energy')) energyColumn = i + 1;
  });
  return { name: 'CLS HXMA', labels: setLabels(labels), energyColumn, energyUnits: 'eV' };
}

function kekpf(headers: string[]): BeamlineGuess {
  let monoDspace: number | undefined;
  for (const raw of headers) {
    const line = raw.toLowerCase().replace(/#/g, ' ').trim();
    if (line.includes('mono :')) {
      const words = ['_', ...pySplit(line.replace(/=/g, ' '))];
      for (let i = 1; i < words.length; i++) {
        if (words[i - 1] === 'd') {
          const v = Number(words[i]);
          if (Number.isFinite(v)) monoDspace = v;
        }
      }
    }
  }
  const ncols = pySplit(headers[headers.length - 1]).length;
  return {
    name: 'KEK PF',
    labels: setLabels(['angle_drive', 'angle_read', 'time'], ncols),
    energyColumn: 2,
    energyUnits: 'deg',
    monoDspace,
  };
}

/** Larch's guess_beamline + get_array_labels, from the header lines (comment characters kept). */
export function guessBeamlineLabels(headers: string[]): BeamlineGuess {
  if (headers.length > 1) {
    let line1 = headers[0].toLowerCase();
    const full = headers.join('\n').toLowerCase();
    if (line1.startsWith('#')) line1 = line1.replace(/#/g, '');
    if (line1.includes('xdi/1') && line1.includes('epics stepscan')) return gse(headers);
    if (line1.startsWith('; epics scan 1 dim')) return gse(headers);
    if (line1.includes('labview control panel') && headers[0].includes('LabVIEW Control Panel')) return apsXsd(headers);
    if (line1.includes('mrcat_xafs') && headers[0].includes('MRCAT_XAFS')) return afterDashes(headers, 'APS MRCAT');
    if (line1.startsWith('xdac')) {
      if (headers[0].replace(/#/g, '').trim().startsWith('XDAC')) return afterDashes(headers, 'NSLS XDAC');
      return generic(headers); // Larch raises here (template does not match); the generic rule is kinder
    }
    if (line1.includes('ssrl') && line1.includes('exafs data collector')) return ssrl(headers);
    if (line1.includes('cls data acquisition')) return clsHxma(headers);
    if (line1.includes('kek-pf')) {
      if (headers[0].replace(/#/g, '').trim().includes('KEK-PF')) return kekpf(headers);
      return generic(headers); // Larch raises here (template does not match); the generic rule is kinder
    }
    if (full.includes('exafsscan') && full.includes('exafs_region')) {
      // Larch's APS12BM class re-checks that every header line is a comment and raises otherwise
      if (headers.every((l) => l.startsWith('#')) && headers.some((l) => l.includes('exafs_region'))) return aps12bm(headers);
    }
  }
  return generic(headers);
}

/**
 * Larch's set_array_labels: pad/truncate to ncols with colN, make reserved or repeated names
 * unique with '_a', '_b', …, and lower-case.
 */
export function finalizeLabels(tlabelsIn: string[] | undefined, ncols: number): string[] {
  const clabels = Array.from({ length: ncols }, (_, i) => `col${i + 1}`);
  let tlabels = tlabelsIn ? [...tlabelsIn] : [...clabels];
  if (tlabels.length < ncols) for (let i = tlabels.length; i < ncols; i++) tlabels.push(`col${i + 1}`);
  else if (tlabels.length > ncols) tlabels = tlabels.slice(0, ncols);
  const reserved = new Set(['data', 'array_labels', 'filename', 'attrs', 'header', 'footer']);
  const extras = 'abcdefghijklmnopqrstuvwxyz';
  const labels: string[] = [];
  // Membership through a Set (same rule as Larch's list lookups, linear in the column count).
  const taken = new Set<string>();
  for (let i = 0; i < ncols; i++) {
    let lname = tlabels[i];
    if (reserved.has(lname) || taken.has(lname)) {
      lname = `${lname}_a`;
      let j = 0;
      while (taken.has(lname)) {
        j += 1;
        if (j === extras.length) break;
        lname = `${tlabels[i]}_${extras[j]}`;
      }
    }
    if (taken.has(lname)) lname = clabels[i];
    labels.push(lname);
    taken.add(lname);
  }
  return labels.map((l) => l.toLowerCase());
}
