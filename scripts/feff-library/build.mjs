#!/usr/bin/env node
// Builds siteproof's FEFF path library: writes feff.inp for the coordination motifs of single-
// and dual-atom catalysts (M–N4 porphyrin-like plane, M–N3S1, M–N3P1, M–N4–Cl and M–N4–O axial,
// M–M′ pairs bridged by N or S), runs FEFF 8.5L from Debian's feff85exafs package
// (`apt-get install feff85exafs` → /usr/bin/feff8l) on each, and keeps the inputs, the first
// paths up to RMAX_KEEP and a manifest.json in packages/xas/feff-library/.
//
// Re-runnable: `node scripts/feff-library/build.mjs [--only motif[,motif]] [--metals Fe,Co] [--force]`.
// A site whose feff.inp is unchanged and whose paths exist is skipped unless --force.
// Tests never run FEFF: they read the committed files.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, 'packages/xas/feff-library');
const FEFF = process.env.FEFF8L ?? 'feff8l';
/** Keep paths with reff below this (Å) … */
const RMAX_KEEP = 3.6;
/** … and at most this many per site (the library stays small). */
const MAX_PATHS = 8;

const Z = { H: 1, C: 6, N: 7, O: 8, P: 15, S: 16, Cl: 17, Mn: 25, Fe: 26, Co: 27, Ni: 28, Cu: 29, Zn: 30 };
const METALS = ['Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn'];
// Typical bond lengths (Å) for these sites (M–N in N4 macrocycles/graphene 1.93–2.04; M–S 2.22–2.33;
// M–P ≈ M–S + 0.02; M–Cl ≈ 2.30; axial M–O 2.05).
const R_MN = { Mn: 2.0, Fe: 1.98, Co: 1.95, Ni: 1.93, Cu: 1.98, Zn: 2.04 };
const R_MS = { Mn: 2.3, Fe: 2.28, Co: 2.25, Ni: 2.22, Cu: 2.28, Zn: 2.33 };
const R_MP = { Mn: 2.3, Fe: 2.3, Co: 2.27, Ni: 2.24, Cu: 2.3, Zn: 2.35 };
const R_MCL = 2.3;
const R_MO = 2.05;
// Ligand–carbon bond lengths and the M–L–C angle of a pyrrolic/pyridinic ligand (127°).
const R_LC = { N: 1.38, S: 1.75, P: 1.8 };
const ANGLE_MLC = (127 * Math.PI) / 180;
const PAIRS = [['Fe', 'Co'], ['Fe', 'Ni'], ['Co', 'Ni'], ['Cu', 'Ni'], ['Fe', 'Cu'], ['Fe', 'Zn']];
const R_MM = { N: 2.45, S: 2.55 };

/** Ligand atom at distance d along angle phi in the xy plane, with its two carbons. */
function planarLigand(el, d, phi) {
  const atoms = [[el, d * Math.cos(phi), d * Math.sin(phi), 0]];
  const rlc = R_LC[el];
  // carbons: at angle (π − ANGLE_MLC) on either side of the outward direction, from the ligand
  const off = Math.PI - ANGLE_MLC;
  for (const s of [-1, 1]) {
    const a = phi + s * off;
    atoms.push(['C', d * Math.cos(phi) + rlc * Math.cos(a), d * Math.sin(phi) + rlc * Math.sin(a), 0]);
  }
  return atoms;
}

function singleSite(metal, ligands, axial) {
  const atoms = [[metal, 0, 0, 0]];
  ligands.forEach((el, i) => {
    const d = el === 'N' ? R_MN[metal] : el === 'S' ? R_MS[metal] : R_MP[metal];
    atoms.push(...planarLigand(el, d, (i * Math.PI) / 2));
  });
  // meso carbons of the porphyrin-like plane at 45°, ≈ 3.4 Å
  for (let i = 0; i < 4; i++) {
    const a = Math.PI / 4 + (i * Math.PI) / 2;
    const r = 1.72 * R_MN[metal];
    atoms.push(['C', r * Math.cos(a), r * Math.sin(a), 0]);
  }
  if (axial) atoms.push([axial, 0, 0, axial === 'Cl' ? R_MCL : R_MO]);
  return atoms;
}

/** M at the origin, M′ along +x, two bridging X above/below the M–M′ axis, two terminal N on each metal. */
function pairSite(m1, m2, bridge) {
  const dmm = R_MM[bridge];
  const dx = bridge === 'N' ? (R_MN[m1] + R_MN[m2]) / 2 : (R_MS[m1] + R_MS[m2]) / 2;
  const h = Math.sqrt(dx * dx - (dmm / 2) ** 2);
  const atoms = [[m1, 0, 0, 0], [m2, dmm, 0, 0], [bridge, dmm / 2, h, 0], [bridge, dmm / 2, -h, 0]];
  for (const s of [-1, 1]) {
    const phi = Math.PI + (s * Math.PI) / 4;
    atoms.push(...planarLigand('N', R_MN[m1], phi));
    const ligs = planarLigand('N', R_MN[m2], s * Math.PI / 4);
    for (const [el, x, y, zz] of ligs) atoms.push([el, x + dmm, y, zz]);
  }
  return atoms;
}

/** fcc metal cluster (radius rmax) around an atom at the origin, for reference paths of a foil. */
function fccCluster(el, a, rmax) {
  const atoms = [[el, 0, 0, 0]];
  const n = Math.ceil(rmax / a) + 1;
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const rest = [];
  for (let i = -n; i <= n; i++) for (let j = -n; j <= n; j++) for (let k = -n; k <= n; k++) {
    for (const [bx, by, bz] of basis) {
      const x = (i + bx) * a, y = (j + by) * a, z = (k + bz) * a;
      const r = Math.hypot(x, y, z);
      if (r > 1e-6 && r <= rmax) rest.push([el, x, y, z, r]);
    }
  }
  rest.sort((p, q) => p[4] - q[4] || p[1] - q[1] || p[2] - q[2] || p[3] - q[3]);
  return atoms.concat(rest.map(([e, x, y, z]) => [e, x, y, z]));
}

function sites(metalsFilter) {
  const out = [];
  if (!metalsFilter || metalsFilter.includes('Cu')) {
    // Reference: Cu foil (fcc, a = 3.61 Å), the FEFF 8.5 counterpart of the Larch Cu fit references;
    // keeps the first paths to 4.5 Å (single and multiple scattering) for 3-path fits.
    out.push({ motif: 'reference', name: 'Cu_fcc', absorber: 'Cu', atoms: fccCluster('Cu', 3.61, 6.0), title: 'Cu metal fcc a=3.61 (reference foil)', rmaxKeep: 4.5, rpath: 5.0 });
  }
  const metals = METALS.filter((m) => !metalsFilter || metalsFilter.includes(m));
  for (const m of metals) {
    out.push({ motif: 'MN4', name: `${m}N4`, absorber: m, atoms: singleSite(m, ['N', 'N', 'N', 'N']), title: `${m}-N4 in a porphyrin-like carbon plane` });
    out.push({ motif: 'MN3S1', name: `${m}N3S1`, absorber: m, atoms: singleSite(m, ['S', 'N', 'N', 'N']), title: `${m}-N3S1 in a carbon plane` });
    out.push({ motif: 'MN3P1', name: `${m}N3P1`, absorber: m, atoms: singleSite(m, ['P', 'N', 'N', 'N']), title: `${m}-N3P1 in a carbon plane` });
    out.push({ motif: 'MN4Cl', name: `${m}N4Cl`, absorber: m, atoms: singleSite(m, ['N', 'N', 'N', 'N'], 'Cl'), title: `${m}-N4 with axial Cl` });
    out.push({ motif: 'MN4O', name: `${m}N4O`, absorber: m, atoms: singleSite(m, ['N', 'N', 'N', 'N'], 'O'), title: `${m}-N4 with axial O` });
  }
  for (const [a, b] of PAIRS) {
    for (const bridge of ['N', 'S']) {
      for (const [m1, m2] of [[a, b], [b, a]]) {
        if (metalsFilter && !metalsFilter.includes(m1)) continue;
        out.push({ motif: `MM_${bridge}`, name: `${m1}${m2}_${bridge}2`, absorber: m1, atoms: pairSite(m1, m2, bridge), title: `${m1}-${m2} pair bridged by two ${bridge} (${m1} edge)` });
      }
    }
  }
  return out;
}

function feffInp(site) {
  // potentials: 0 = absorber; then one per element in order of appearance (the absorber's element
  // gets its own ipot when it also appears as a scatterer)
  const ipot = new Map();
  const pots = [[0, Z[site.absorber], site.absorber]];
  for (const [el] of site.atoms.slice(1)) {
    if (!ipot.has(el)) {
      ipot.set(el, pots.length);
      pots.push([pots.length, Z[el], el]);
    }
  }
  const lines = [
    `TITLE siteproof FEFF library: ${site.title}`,
    'EDGE      K',
    'S02       1.0',
    'CONTROL   1 1 1 1 1 1',
    'PRINT     1 0 0 0 0 3',
    'EXCHANGE  0',
    'EXAFS     20.0',
    'NLEG      4',
    `RPATH     ${(site.rpath ?? RMAX_KEEP + 0.4).toFixed(2)}`,
    '',
    'POTENTIALS',
    '*  ipot   Z  tag',
    ...pots.map(([i, z, el]) => `   ${i}   ${String(z).padStart(3)}  ${el}`),
    '',
    'ATOMS',
    '*   x          y          z      ipot  tag   distance',
  ];
  site.atoms.forEach(([el, x, y, zz], i) => {
    const p = i === 0 ? 0 : ipot.get(el);
    const r = Math.hypot(x, y, zz);
    lines.push(`  ${x.toFixed(5).padStart(9)}  ${y.toFixed(5).padStart(9)}  ${zz.toFixed(5).padStart(9)}   ${p}   ${el.padEnd(3)} ${r.toFixed(5)}`);
  });
  lines.push('END', '');
  return lines.join('\n');
}

function readHeader(datText) {
  const lines = datText.split(/\r?\n/);
  const i = lines.findIndex((l) => l.includes('nleg, deg, reff'));
  const [nleg, degen, reff] = lines[i].trim().split(/\s+/).map(Number);
  const atoms = lines.slice(i + 2, i + 2 + nleg).map((l) => l.trim().split(/\s+/)[5] ?? '?');
  return { nleg, degen, reff, atoms };
}

function main() {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
  const metals = args.includes('--metals') ? args[args.indexOf('--metals') + 1].split(',') : undefined;
  const force = args.includes('--force');
  try {
    execFileSync('which', [FEFF], { stdio: 'ignore' });
  } catch {
    console.error(`${FEFF} not found: apt-get install feff85exafs (or set FEFF8L)`);
    process.exit(1);
  }
  mkdirSync(OUT, { recursive: true });
  const manifestFile = path.join(OUT, 'manifest.json');
  const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : { sites: {} };
  manifest.description = 'FEFF 8.5L paths for single- and dual-atom site motifs, written by scripts/feff-library/build.mjs';
  manifest.program = 'feff8l (Debian feff85exafs)';
  manifest.settings = { rmaxKeep: RMAX_KEEP, maxPaths: MAX_PATHS, nleg: 4, exafsKmax: 20, exchange: 'Hedin-Lundqvist', scf: false };
  for (const site of sites(metals)) {
    if (only && !only.includes(site.motif)) continue;
    const dir = path.join(OUT, site.name);
    const inp = feffInp(site);
    const inpFile = path.join(dir, 'feff.inp');
    if (!force && existsSync(inpFile) && readFileSync(inpFile, 'utf8') === inp && manifest.sites[site.name]?.paths?.length) {
      manifest.sites[site.name].rmaxKeep = site.rmaxKeep ?? RMAX_KEEP;
      console.log(`${site.name}: up to date`);
      continue;
    }
    const work = mkdtempSync(path.join(tmpdir(), `feff-${site.name}-`));
    writeFileSync(path.join(work, 'feff.inp'), inp);
    const t0 = Date.now();
    try {
      execFileSync(FEFF, [], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
    } catch (e) {
      console.error(`${site.name}: feff8l failed: ${e.message}`);
      rmSync(work, { recursive: true, force: true });
      continue;
    }
    const dats = readdirSync(work).filter((f) => /^feff\d{4}\.dat$/.test(f)).sort();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(inpFile, inp);
    const kept = [];
    for (const f of dats) {
      const text = readFileSync(path.join(work, f), 'utf8');
      const h = readHeader(text);
      if (h.reff > (site.rmaxKeep ?? RMAX_KEEP) || kept.length >= MAX_PATHS) continue;
      copyFileSync(path.join(work, f), path.join(dir, f));
      kept.push({ file: `${site.name}/${f}`, reff: h.reff, degen: h.degen, nleg: h.nleg, atoms: h.atoms });
    }
    rmSync(work, { recursive: true, force: true });
    manifest.sites[site.name] = {
      motif: site.motif,
      absorber: site.absorber,
      edge: 'K',
      title: site.title,
      input: `${site.name}/feff.inp`,
      rmaxKeep: site.rmaxKeep ?? RMAX_KEEP,
      paths: kept,
    };
    console.log(`${site.name}: ${kept.length} paths (of ${dats.length}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    writeFileSync(manifestFile, JSON.stringify(sortKeys(manifest), null, 1) + '\n');
  }
  writeFileSync(manifestFile, JSON.stringify(sortKeys(manifest), null, 1) + '\n');
}

function sortKeys(m) {
  const sitesSorted = Object.fromEntries(Object.keys(m.sites).sort().map((k) => [k, m.sites[k]]));
  return { ...m, sites: sitesSorted };
}

main();
