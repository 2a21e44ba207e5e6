// The report's tables: one definition drives the CSV file, the HTML table and results.json.
import type { ReportData } from './pipeline';

export type Cell = string | number | boolean | null;

export interface Table {
  id: string;
  file: string;
  title: string;
  columns: string[];
  rows: Cell[][];
}

const r6 = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toPrecision(7)));

export function buildTables(r: ReportData): Table[] {
  const t: Table[] = [];
  const M = r.xas.members;
  if (M.length > 0) {
    t.push({
      id: 'xas-edges',
      file: 'xas_edges.csv',
      title: 'XAS: E0, edge shift and white line per spectrum',
      columns: ['file', r.config.xas.variable.name, `${r.config.xas.variable.name}_value`, 'e0_larch_eV', 'e0_half_step_eV', 'e0_half_step_err_eV', 'e0_arctan_eV', 'e0_arctan_err_eV', 'foil_e0_half_step_eV', 'e0_minus_foil_eV', 'e0_shift_eV', 'e0_shift_err_eV', 'edge_step', 'white_line_eV', 'white_line_height'],
      rows: M.map((m) => [
        m.file,
        m.variable.label,
        m.variable.value,
        r6(m.out.edge.e0Larch),
        r6(m.out.edge.halfStep),
        r6(m.out.edge.halfStepErr),
        r6(m.out.edge.arctan),
        r6(m.out.edge.arctanErr),
        r6(m.out.reference?.halfStep),
        m.out.reference ? r6(m.e0Rel) : null,
        r6(m.e0Shift),
        r6(m.e0ShiftErr),
        r6(m.out.edgeStep),
        r6(m.out.whiteLine.energy),
        r6(m.out.whiteLine.height),
      ]),
    });
  }
  if (r.xas.fits.length > 0) {
    const rows: Cell[][] = [];
    for (const f of [...r.xas.fits].sort((a, b) => a.model.localeCompare(b.model) || a.member - b.member)) {
      const m = M[f.member];
      for (const [n, p] of Object.entries(f.out.params)) rows.push([f.model, m.file, m.variable.label, n, r6(p.value), r6(p.stderr), p.vary, r6(f.out.rFactor), r6(f.out.redChi)]);
      for (const p of f.out.paths) rows.push([f.model, m.file, m.variable.label, `R(${p.label})`, r6(p.r.value), r6(p.r.stderr), false, r6(f.out.rFactor), r6(f.out.redChi)]);
    }
    t.push({ id: 'xas-fit-params', file: 'xas_fit_parameters.csv', title: 'XAS: shell-fit parameters ± 1σ', columns: ['model', 'file', r.config.xas.variable.name, 'parameter', 'value', 'stderr', 'varied', 'r_factor', 'reduced_chi_square'], rows });
  }
  if (r.tofsims.spectra.length > 0) {
    const rows: Cell[][] = [];
    for (const s of r.tofsims.spectra) {
      for (const m of s.out.matches) {
        rows.push([s.file, s.role, m.fragment, r6(m.mz), r6(m.observedMz), m.ppm === null ? null : Number(m.ppm.toFixed(2)), r6(m.area), r6(m.areaError), r6(m.normalizedArea), m.isotopes.map((i) => `${i.label}@${i.mz.toFixed(4)}:${i.observedRatio.toFixed(3)}/${i.expectedRatio.toFixed(3)}`).join(' '), m.accepted, m.reason]);
      }
    }
    t.push({ id: 'tofsims-fragments', file: 'tofsims_fragments.csv', title: 'ToF-SIMS: matched fragments', columns: ['file', 'role', 'fragment', 'mz_theory', 'mz_observed', 'error_ppm', 'area', 'area_err', 'area_per_total', 'isotopes_observed/expected', 'accepted', 'verdict'], rows });
  }
  if (r.haadf.images.length > 0) {
    const rows: Cell[][] = r.haadf.images.map((im) => {
      const s = im.out.stats as Record<string, never> & { ci95: { pairSiteFraction: { wilson: number[]; bootstrap: number[] }; atomsInPairsFraction: { bootstrap: number[] } }; gaussFit: { mu: number; muErr: number; sigma: number } | null };
      return [
        im.file,
        r6(im.out.pixelNm),
        s.nAtoms,
        s.nSites,
        s.nSingles,
        s.nPairs,
        s.nMultimers,
        r6(s.pairSiteFraction),
        r6(s.ci95.pairSiteFraction.wilson[0]),
        r6(s.ci95.pairSiteFraction.wilson[1]),
        r6(s.ci95.pairSiteFraction.bootstrap[0]),
        r6(s.ci95.pairSiteFraction.bootstrap[1]),
        r6(s.atomsInPairsFraction),
        r6(s.gaussFit?.mu),
        r6(s.gaussFit?.muErr),
        r6(s.gaussFit?.sigma),
        r6(s.kdeModeNm),
        r6(s.density),
        r6(s.clarkEvans),
        r6(s.randomExpectedPairs),
      ];
    });
    t.push({
      id: 'haadf-pairs',
      file: 'haadf_pair_statistics.csv',
      title: 'HAADF: pair statistics',
      columns: ['image', 'pixel_nm', 'atoms', 'sites', 'singles', 'pairs', 'multimers', 'pair_site_fraction', 'wilson95_lo', 'wilson95_hi', 'bootstrap95_lo', 'bootstrap95_hi', 'atoms_in_pairs_fraction', 'spacing_mu_nm', 'spacing_mu_err_nm', 'spacing_sigma_nm', 'kde_mode_nm', 'density_per_nm2', 'clark_evans', 'random_expected_pairs'],
      rows,
    });
    const arows: Cell[][] = [];
    for (const im of r.haadf.images) for (const a of im.out.atoms) arows.push([im.file, r6(a.x), r6(a.y), r6(a.xNm), r6(a.yNm), r6(a.intensity), r6(a.snr), a.site, a.type, r6(a.nnNm)]);
    t.push({ id: 'haadf-atoms', file: 'haadf_atoms.csv', title: 'HAADF: detected atoms', columns: ['image', 'x_px', 'y_px', 'x_nm', 'y_nm', 'intensity', 'snr', 'site', 'site_type', 'nn_distance_nm'], rows: arows });
  }
  const sk = r.files.filter((f) => f.status !== 'used');
  t.push({ id: 'skipped-files', file: 'skipped_files.csv', title: 'Skipped and ignored files', columns: ['file', 'kind', 'status', 'reason'], rows: sk.map((f) => [f.file, f.kind, f.status, f.reason ?? '']) });
  return t;
}

function csvCell(c: Cell): string {
  if (c === null) return '';
  const s = String(c);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: Table): string {
  return [t.columns.map(csvCell).join(','), ...t.rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}
