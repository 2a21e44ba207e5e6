// A text report laid out like Larch's feffit_report: statistics, parameters, correlations,
// data sets and paths, so users moving from Larch find every number where they expect it.
import { PATH_PARAM_NAMES } from '../feff/pathModel';
import type { FeffitResult } from './feffit';

/** Larch's gformat-like number: 7 significant digits, exponent form for very small/large values. */
export function gformat(v: number | null | undefined, width = 11): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'unknown'.padStart(width);
  const a = Math.abs(v);
  let s: string;
  if (v === 0) s = '0.0000000';
  else if (a < 1e-3 || a >= 1e6) s = v.toExponential(4);
  else {
    const digits = Math.max(0, 7 - Math.max(0, Math.floor(Math.log10(a)) + 1));
    s = v.toFixed(digits);
  }
  return s.padStart(width);
}

export function feffitReport(res: FeffitResult, minCorrelation = 0.1): string {
  const out: string[] = ['=================== FEFFIT RESULTS ====================', '[[Statistics]]'];
  const kv = (k: string, v: string) => out.push(`  ${k.padEnd(20)} = ${v}`);
  kv('n_function_calls', String(res.nfev));
  kv('n_variables', String(res.nVarys));
  kv('n_data_points', String(res.nData));
  kv('n_independent', `${res.nIndependent.toPrecision(9)}  (IFEFFIT 2ΔkΔR/π: ${res.nIndependentIfeffit.toPrecision(6)})`);
  kv('chi_square', gformat(res.chiSquare).trim());
  kv('reduced chi_square', gformat(res.redChi).trim());
  kv('r-factor', gformat(res.rFactor).trim());
  kv('Akaike info crit', gformat(res.aic).trim());
  kv('Bayesian info crit', gformat(res.bic).trim());
  if (res.warnings.length) {
    out.push(' ', '[[Warnings]]');
    for (const w of res.warnings) out.push(`  ${w}`);
  }
  out.push(' ', '[[Parameters]]');
  for (const [name, p] of Object.entries(res.params)) {
    const n = name.padEnd(20);
    if (p.vary) out.push(`  ${n} = ${gformat(p.value)} +/- ${gformat(p.stderr).trim()}  (init= ${gformat(p.init).trim()})`);
    else if (p.expr) out.push(`  ${n} = ${gformat(p.value)} +/- ${gformat(p.stderr).trim()}  = '${p.expr}'`);
    else out.push(`  ${n} = ${gformat(p.value)} (fixed)`);
  }
  out.push(' ', `[[Correlations]] (unreported correlations are < ${minCorrelation.toFixed(3)})`);
  for (const c of res.correlations) {
    if (Math.abs(c.value) < minCorrelation) continue;
    out.push(`  ${`${c.a}, ${c.b}`.padEnd(20)} = ${c.value >= 0 ? ' ' : ''}${c.value.toFixed(3)}`);
  }
  for (const d of res.datasets) {
    const t = d.transform;
    out.push(' ', `[[Dataset]] ${d.label}`);
    kv('fit space', `'${t.fitspace}'`);
    kv('r-range', `${t.rmin.toFixed(3)}, ${t.rmax.toFixed(3)}`);
    kv('k-range', `${t.kmin.toFixed(3)}, ${t.kmax.toFixed(3)}`);
    kv('k window, dk', `'${t.window}', ${t.dk.toFixed(3)}${t.dk2 !== undefined ? `, ${t.dk2.toFixed(3)}` : ''}`);
    kv('k-weight', t.kweights.join(', '));
    kv('epsilon_k', d.epsilonK.map((e) => (e.isArray ? `Array(mean=${gformat(e.mean).trim()}, std=${gformat(e.std).trim()})` : gformat(e.mean).trim())).join(', '));
    kv('epsilon_r', d.epsilonR.map((e) => gformat(e).trim()).join(', '));
    kv('n_independent', d.nIndependent.toFixed(3));
    kv('paths used in fit', d.paths.map((p) => `'${p.file}'`).join(', '));
    out.push(' ', '[[Paths]]');
    for (const p of d.paths) {
      out.push(` = Path '${p.label}' ${p.absorber} edge`, `    feffdat file = ${p.file}`, '    geometry  atom      x        y        z      ipot');
      for (const a of p.geometry) {
        out.push(`              ${a.label.padEnd(4)} ${a.x.toFixed(5).padStart(9)}, ${a.y.toFixed(5).padStart(9)}, ${a.z.toFixed(5).padStart(9)}  ${a.ipot}${a.ipot === 0 ? ' (absorber)' : ''}`);
      }
      out.push(`     reff   = ${gformat(p.reff)}`);
      for (const name of PATH_PARAM_NAMES) {
        const v = p.params[name];
        const g = p.given[name];
        if (g === undefined && v.value === 0) continue;
        const se = v.stderr ? ` +/- ${gformat(v.stderr).trim()}` : '';
        const ex = typeof g === 'string' ? `  := '${g}'` : '';
        out.push(`     ${name.padEnd(6)} = ${gformat(v.value)}${se}${ex}`);
        if (name === 'deltar') out.push(`     ${'r'.padEnd(6)} = ${gformat(p.r.value)}${p.r.stderr ? ` +/- ${gformat(p.r.stderr).trim()}` : ''}`);
      }
      out.push('');
    }
  }
  out.push('=======================================================');
  return out.join('\n');
}
