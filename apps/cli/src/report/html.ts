// report.html: one self-contained file (plotly.js embedded inline, figure specs as JSON script
// blocks, images as data URLs), so it opens offline from file:// and can be mailed as is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Figure } from './figures';
import type { ReportData } from './pipeline';
import type { Cell, Table } from './tables';

let plotlySource: string | undefined;
/** plotly.js-dist-min (the minified plotly.js-dist build, installed in apps/cli), read once; '</script' is escaped for inline use. */
export function plotlyJs(): string {
  if (plotlySource === undefined) {
    const req = createRequire(import.meta.url);
    plotlySource = readFileSync(req.resolve('plotly.js-dist-min'), 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return plotlySource;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON for a <script type="application/json"> block: typed arrays → arrays, numbers to 6 significant digits. */
export function specJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return Array.from(x as unknown as ArrayLike<number>, (n) => (Number.isFinite(n) ? Number(n.toPrecision(6)) : null));
    if (typeof x === 'number') return Number.isFinite(x) ? (Number.isInteger(x) ? x : Number(x.toPrecision(6))) : null;
    return x;
  })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e');
}

function cellHtml(c: Cell): string {
  if (c === null) return '<td class="na">–</td>';
  if (typeof c === 'number') return `<td class="num">${esc(Math.abs(c) >= 1e5 || (Math.abs(c) < 1e-3 && c !== 0) ? c.toExponential(4) : String(Number(c.toPrecision(6))))}</td>`;
  if (typeof c === 'boolean') return `<td>${c ? 'yes' : 'no'}</td>`;
  return `<td>${esc(c)}</td>`;
}

function tableHtml(t: Table, maxRows = 200): string {
  const rows = t.rows.slice(0, maxRows).map((r) => `<tr>${r.map(cellHtml).join('')}</tr>`).join('\n');
  const more = t.rows.length > maxRows ? `<p class="note">${t.rows.length - maxRows} more rows in <a href="${esc(t.file)}">${esc(t.file)}</a>.</p>` : '';
  return `<div class="table" id="table-${esc(t.id)}"><h3>${esc(t.title)} <a class="csv" href="${esc(t.file)}">${esc(t.file)}</a></h3><div class="scroll"><table><thead><tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div>${more}</div>`;
}

function figureHtml(f: Figure): string {
  return `<figure class="plot" data-figure="${esc(f.id)}"><div id="fig-${esc(f.id)}" class="plotly-div"></div><figcaption>${esc(f.caption)}</figcaption><script type="application/json" class="figure-spec" data-id="${esc(f.id)}">${specJson({ data: f.data, layout: f.layout })}</script></figure>`;
}

function flatten(o: unknown, prefix = ''): [string, string][] {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return [[prefix, JSON.stringify(o)]];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

const CSS = `body{font-family:Helvetica,Arial,sans-serif;margin:0 auto;max-width:1200px;padding:0 24px 60px;color:#222}
h1{margin-top:28px}h2{border-bottom:2px solid #0072B2;padding-bottom:4px;margin-top:44px}
.meta{color:#555}.note{color:#666;font-size:90%}figure{margin:18px 0 30px}figcaption{color:#444;font-size:92%;margin-top:4px}
.plotly-div{min-height:420px}.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:85%;margin:6px 0}
td,th{border:1px solid #ddd;padding:3px 7px}th{background:#f3f6fa;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.na{color:#aaa;text-align:center}a.csv{font-size:70%;font-weight:normal;margin-left:8px}.warn{color:#a04000}
nav a{margin-right:14px}.defaults td:first-child{font-family:monospace}.skipped td:last-child{color:#a04000}`;

/** The evidence at a glance: one line per technique, numbers with their uncertainty. */
function summaryHtml(r: ReportData): string {
  const li: string[] = [];
  const M = r.xas.members;
  if (M.length > 1) {
    const last = M[M.length - 1];
    const err = last.e0ShiftErr !== null ? ` ± ${last.e0ShiftErr.toFixed(2)}` : '';
    li.push(`<b>XAS</b>: E0 shifts by ${last.e0Shift >= 0 ? '+' : ''}${last.e0Shift.toFixed(2)}${err} eV from ${esc(M[0].variable.label)} to ${esc(last.variable.label)}${M.every((m) => m.out.reference) ? ' (against the foil of each scan)' : ''}.`);
  }
  for (const model of [...new Set(r.xas.fits.map((f) => f.model))]) {
    const fs = r.xas.fits.filter((f) => f.model === model).sort((a, b) => a.member - b.member);
    const paths = fs[0].out.paths.map((p) => p.label);
    const rs = paths.map((lab) => `${esc(lab)} ${fs.map((f) => { const p = f.out.paths.find((x) => x.label === lab)!; return `${p.r.value.toFixed(3)}${p.r.stderr !== null ? `±${p.r.stderr.toFixed(3)}` : ''}`; }).join(' → ')} Å`);
    li.push(`<b>Shell fit</b> (${esc(model)}, R-factor ${fs.map((f) => f.out.rFactor.toFixed(4)).join(', ')}): ${rs.join('; ')}.`);
  }
  const S = r.tofsims.spectra;
  const sample = S.find((s) => s.role === 'sample');
  const control = S.find((s) => s.role === 'control');
  if (sample) {
    const acc = sample.out.matches.filter((m) => m.accepted).map((m) => m.fragment);
    const inCtl = control ? control.out.matches.filter((m) => m.accepted).map((m) => m.fragment) : [];
    li.push(`<b>ToF-SIMS</b>: ${acc.length ? acc.map(esc).join(', ') : 'no fragment'} accepted (mass and isotope pattern) in ${esc(sample.file)}${control ? `; in the control: ${inCtl.length ? inCtl.map(esc).join(', ') : 'none'}` : ''}.`);
  }
  for (const im of r.haadf.images) {
    const st = im.out.stats as { nPairs: number; nSites: number; pairSiteFraction: number; ci95: { pairSiteFraction: { wilson: [number, number] } }; gaussFit: { mu: number; muErr: number } | null; randomExpectedPairs: number };
    const w = st.ci95.pairSiteFraction.wilson;
    li.push(`<b>HAADF</b> (${esc(im.file)}): ${st.nPairs} of ${st.nSites} sites are pairs, ${(100 * st.pairSiteFraction).toFixed(1)} % (95 % ${(100 * w[0]).toFixed(1)}–${(100 * w[1]).toFixed(1)} %)${st.gaussFit ? `, spacing ${st.gaussFit.mu.toFixed(3)} ± ${st.gaussFit.muErr.toFixed(3)} nm` : ''}; random placement would give ${st.randomExpectedPairs.toFixed(1)} pairs.`);
  }
  return li.length ? `<section id="summary"><h2>Summary</h2><ul>${li.map((x) => `<li>${x}</li>`).join('')}</ul></section>` : '';
}

/** The verdict table of packages/evidence: one row per technique, never stronger than its weakest link. */
function verdictHtml(v: ReportData['verdict']): string {
  if (v === null) {
    return '<p class="note">Not configured: add a <code>"verdict"</code> section to siteproof.json (which fits carry the M–M′ path, which spectrum is the control; see packages/evidence/README.md) or run <code>siteproof verdict DIR</code>.</p>';
  }
  if ('error' in v) return `<p class="warn">The verdict could not be formed: ${esc(v.error)}</p>`;
  const d = v.document;
  const rows = d.rows
    .map((row) => `<tr><td>${esc(row.technique)}</td><td>${esc(row.evidence)}</td><td>${esc(row.effect)}</td><td>${esc(row.test)}</td><td>${row.p === null ? '—' : esc(row.p.toPrecision(2))}</td><td>${esc(row.interval ?? '—')}</td><td>${esc(String(row.supports))}</td><td>${esc(row.caveats.join('; '))}</td></tr>`)
    .join('');
  return `<p><b>${esc(d.overall)}</b>${d.leaning ? ` (leaning ${esc(d.leaning)})` : ''}: ${esc(d.summary)}</p><div class="scroll"><table class="verdict"><thead><tr><th>technique</th><th>evidence</th><th>effect size</th><th>test</th><th>p</th><th>interval</th><th>supports</th><th>caveats</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

export function buildHtml(r: ReportData, figures: Figure[], tables: Table[], results: unknown): string {
  const sec = (id: string, title: string, body: string) => `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;
  const figs = (s: Figure['section']) => figures.filter((f) => f.section === s).map(figureHtml).join('\n');
  const tab = (id: string) => tables.filter((t) => t.id === id || t.id.startsWith(`${id}-`)).map((t) => tableHtml(t)).join('\n');
  const M = r.xas.members;
  const parts: string[] = [];
  const nav: string[] = [];
  if (M.length > 0) {
    nav.push('<a href="#xas">XAS</a>');
    const warn = r.xas.warnings.length ? `<ul class="warn">${r.xas.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '';
    parts.push(sec('xas', `XAS: ${M.length} spectra, ordered by ${r.config.xas.variable.name}`, `<p>Series: ${M.map((m) => `<b>${esc(m.variable.label)}</b> (${esc(m.file)})`).join(', ')}.</p>${warn}${figs('xas')}${tab('xas-edges')}${tab('xas-fit-params')}`));
  }
  if (r.tofsims.spectra.length > 0) {
    nav.push('<a href="#tofsims">ToF-SIMS</a>');
    const cal = r.tofsims.spectra.map((s) => `<li>${esc(s.file)} (${s.role}): ${s.out.nPeaks} peaks, calibration ${esc(String(s.out.calibration.applied))}${s.out.calibration.rmsPpm !== null ? ` (rms ${Number(s.out.calibration.rmsPpm).toFixed(2)} ppm)` : ''}</li>`).join('');
    parts.push(sec('tofsims', 'ToF-SIMS', `<ul>${cal}</ul>${figs('tofsims')}${tab('tofsims-fragments')}`));
  }
  if (r.haadf.images.length > 0) {
    nav.push('<a href="#haadf">HAADF-STEM</a>');
    parts.push(sec('haadf', 'HAADF-STEM: single atoms and pairs', `${figs('haadf')}${tab('haadf-pairs')}<p class="note">Atom positions: <a href="haadf_atoms.csv">haadf_atoms.csv</a>.</p>`));
  }
  nav.push('<a href="#verdict">Verdict</a>');
  parts.push(sec('verdict', 'Single or dual atom? Evidence by technique', verdictHtml(r.verdict)));
  const skipped = r.files.filter((f) => f.status === 'skipped');
  const ignored = r.files.filter((f) => f.status === 'ignored');
  nav.push('<a href="#skipped">Skipped files</a>', '<a href="#defaults">Options</a>');
  parts.push(
    sec(
      'skipped',
      `Skipped files (${skipped.length}) and ignored files (${ignored.length})`,
      skipped.length + ignored.length === 0
        ? '<p>Every file in the folder was used.</p>'
        : `<table class="skipped"><thead><tr><th>file</th><th>kind</th><th>status</th><th>reason</th></tr></thead><tbody>${[...skipped, ...ignored].map((f) => `<tr><td>${esc(f.file)}</td><td>${esc(f.kind)}</td><td>${f.status}</td><td>${esc(f.reason ?? '')}</td></tr>`).join('')}</tbody></table>`,
    ),
  );
  const defaults = flatten(r.config).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('');
  parts.push(sec('defaults', 'Options used (defaults unless set in the config)', `<p>Options from: <b>${esc(r.configSource)}</b>. Every value below was applied; change them in siteproof.json.</p><table class="defaults"><tbody>${defaults}</tbody></table>`));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.config.title)}</title><style>${CSS}</style>
<script>${plotlyJs()}</script>
</head><body>
<h1>${esc(r.config.title)}</h1>
<p class="meta">siteproof ${esc(r.version)} · ${esc(r.generated)} · folder <code>${esc(r.dir)}</code> · ${r.files.filter((f) => f.status === 'used').length} files used, ${skipped.length} skipped</p>
<nav>${nav.join('')}</nav>
${summaryHtml(r)}
${parts.join('\n')}
<script type="application/json" id="siteproof-results">${specJson(results)}</script>
<script>
(function () {
  var specs = document.querySelectorAll('script.figure-spec');
  var config = { responsive: true, displaylogo: false, toImageButtonOptions: { format: 'svg' } };
  for (var i = 0; i < specs.length; i++) {
    var s = specs[i];
    var spec = JSON.parse(s.textContent);
    Plotly.newPlot('fig-' + s.getAttribute('data-id'), spec.data, spec.layout, config);
  }
  window.siteproofRendered = specs.length;
})();
</script>
</body></html>
`;
}
