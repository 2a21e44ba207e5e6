// Plotly figure specs of the report (data + layout, plain JSON). Each figure has a stable id the
// tests look for; axis titles carry units; a series member keeps its colour in every figure.
import type { ReportData, XasMember } from './pipeline';
import { colourOf } from './series';

export interface Figure {
  id: string;
  section: 'xas' | 'tofsims' | 'haadf';
  title: string;
  caption: string;
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

const FONT = { family: 'Helvetica, Arial, sans-serif', size: 13 };
const base = (title: string, x: string, y: string, extra: Record<string, unknown> = {}) => ({
  title: { text: title },
  font: FONT,
  xaxis: { title: { text: x }, zeroline: false, showline: true, mirror: true, ticks: 'outside' },
  yaxis: { title: { text: y }, zeroline: false, showline: true, mirror: true, ticks: 'outside' },
  legend: { orientation: 'v' },
  margin: { l: 70, r: 20, t: 50, b: 60 },
  template: undefined,
  ...extra,
});

const lbl = (m: XasMember, unit: string) => (m.variable.value !== null && !/[a-z]/i.test(m.variable.label.replace(/V\b/, '')) ? `${m.variable.label}${/V\b/.test(m.variable.label) ? '' : ` ${unit}`}` : m.variable.label);

function slice(x: ArrayLike<number>, y: ArrayLike<number>, lo: number, hi: number, scale?: (xv: number) => number): { x: number[]; y: number[] } {
  const ox: number[] = [];
  const oy: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] < lo || x[i] > hi) continue;
    ox.push(x[i]);
    oy.push(scale ? y[i] * scale(x[i]) : y[i]);
  }
  return { x: ox, y: oy };
}

export function buildFigures(r: ReportData): Figure[] {
  const figs: Figure[] = [];
  const cx = r.config.xas;
  const unit = cx.variable.unit;
  const vname = cx.variable.name;
  const M = r.xas.members;
  if (M.length > 0) {
    const meanE0 = M.reduce((s, m) => s + m.out.edge.halfStep, 0) / M.length;
    const [z0, z1] = cx.zoom;
    // XANES overlay + edge zoom (two panels)
    const data: Record<string, unknown>[] = [];
    for (const m of M) {
      const full = slice(m.out.energy, m.out.norm, meanE0 - 40, meanE0 + 120);
      const zoom = slice(m.out.energy, m.out.norm, meanE0 + z0, meanE0 + z1);
      data.push({ type: 'scatter', mode: 'lines', name: lbl(m, unit), legendgroup: m.file, x: full.x, y: full.y, line: { color: colourOf(m.colour), width: 1.6 } });
      data.push({ type: 'scatter', mode: 'lines', name: lbl(m, unit), legendgroup: m.file, showlegend: false, x: zoom.x, y: zoom.y, xaxis: 'x2', yaxis: 'y2', line: { color: colourOf(m.colour), width: 1.6 } });
    }
    figs.push({
      id: 'xas-xanes',
      section: 'xas',
      title: 'Normalized XANES',
      caption: `Normalized μ(E) of the ${vname} series (pre-edge ${cx.preEdge.pre1}…${cx.preEdge.pre2} eV, post-edge from ${cx.preEdge.norm1} eV above E0); right: zoom on the edge.`,
      data,
      layout: {
        ...base('Normalized XANES', 'Energy (eV)', 'Normalized μ(E)'),
        grid: { rows: 1, columns: 2, pattern: 'independent' },
        xaxis: { title: { text: 'Energy (eV)' }, domain: [0, 0.55], showline: true, mirror: true, ticks: 'outside' },
        xaxis2: { title: { text: 'Energy (eV), edge zoom' }, domain: [0.65, 1], showline: true, mirror: true, ticks: 'outside' },
        yaxis2: { title: { text: 'Normalized μ(E)' }, anchor: 'x2', showline: true, mirror: true, ticks: 'outside' },
      },
    });
    figs.push({
      id: 'xas-derivative',
      section: 'xas',
      title: 'First derivative',
      caption: 'dμ/dE of the normalized spectra around the edge; vertical ticks mark E0 at half step.',
      data: M.map((m) => {
        const d = slice(m.out.energy, m.out.dmude, meanE0 + z0, meanE0 + z1);
        return { type: 'scatter', mode: 'lines', name: lbl(m, unit), x: d.x, y: d.y, line: { color: colourOf(m.colour), width: 1.6 } };
      }),
      layout: {
        ...base('Derivative of normalized μ(E)', 'Energy (eV)', 'dμ/dE (1/eV)'),
        shapes: M.map((m) => ({ type: 'line', xref: 'x', yref: 'paper', x0: m.out.edge.halfStep, x1: m.out.edge.halfStep, y0: 0, y1: 0.06, line: { color: colourOf(m.colour), width: 2 } })),
      },
    });
    const numeric = M.every((m) => m.variable.value !== null);
    const foil = M.every((m) => m.out.reference);
    figs.push({
      id: 'xas-e0-shift',
      section: 'xas',
      title: `E0 shift vs ${vname}`,
      caption: `E0 (energy at half the edge step)${foil ? ' minus the foil E0 of the same scan' : ''}, relative to the first spectrum; error bars 1σ from the noise of the normalized μ(E).`,
      data: [
        {
          type: 'scatter',
          mode: 'markers+lines',
          name: 'ΔE0',
          x: M.map((m) => (numeric ? m.variable.value : m.variable.label)),
          y: M.map((m) => m.e0Shift),
          text: M.map((m) => lbl(m, unit)),
          error_y: { type: 'data', array: M.map((m) => m.e0ShiftErr ?? 0), visible: true },
          marker: { size: 10, color: M.map((m) => colourOf(m.colour)) },
          line: { color: '#888', dash: 'dot' },
        },
      ],
      layout: base(`E0 shift vs ${vname}`, numeric ? `${vname} (${unit})` : vname, 'ΔE0 (eV)', numeric ? {} : { xaxis: { type: 'category', title: { text: vname } } }),
    });
    const kw = cx.xftf.kweight;
    figs.push({
      id: 'xas-chik',
      section: 'xas',
      title: `k${kw === 2 ? '²' : `^${kw}`}χ(k)`,
      caption: `EXAFS χ(k) (AUTOBK, rbkg ${cx.autobk.rbkg} Å, k-weight ${cx.autobk.kweight} for the background), weighted by k^${kw}.`,
      data: M.map((m) => {
        const d = slice(m.out.k, m.out.chi, 0, cx.xftf.kmax + 1, (k) => k ** kw);
        return { type: 'scatter', mode: 'lines', name: lbl(m, unit), x: d.x, y: d.y, line: { color: colourOf(m.colour), width: 1.4 } };
      }),
      layout: base(`k^${kw}-weighted χ(k)`, 'k (Å⁻¹)', `k^${kw}χ(k) (Å⁻${kw})`),
    });
    figs.push({
      id: 'xas-chir',
      section: 'xas',
      title: '|χ(R)|',
      caption: `Fourier transform magnitude (k ${cx.xftf.kmin}–${cx.xftf.kmax} Å⁻¹, dk ${cx.xftf.dk}, ${cx.xftf.window}, k-weight ${kw}); not phase-corrected.`,
      data: M.map((m) => {
        const d = slice(m.out.r, m.out.chirMag, 0, 6);
        return { type: 'scatter', mode: 'lines', name: lbl(m, unit), x: d.x, y: d.y, line: { color: colourOf(m.colour), width: 1.6 } };
      }),
      layout: base('|χ(R)|', 'R (Å), not phase-corrected', `|χ(R)| (Å⁻${kw + 1})`),
    });
    const wm = r.xas.waveletMember !== null ? M[r.xas.waveletMember] : undefined;
    if (wm?.out.wavelet) {
      const w = wm.out.wavelet;
      figs.push({
        id: 'xas-wavelet',
        section: 'xas',
        title: `Wavelet transform (${w.kind})`,
        caption: `${w.kind === 'cauchy' ? 'Cauchy (as Larch cauchy_wavelet)' : 'Morlet'} wavelet modulus of k^${kw}χ(k) for ${lbl(wm, unit)} (${wm.file}).`,
        data: [{ type: 'heatmap', x: Array.from(w.k), y: Array.from(w.r), z: w.mag, colorscale: 'Viridis', colorbar: { title: { text: '|W|' } } }],
        layout: base(`Wavelet map, ${lbl(wm, unit)}`, 'k (Å⁻¹)', 'R (Å)'),
      });
    }
  }
  // Shell fits
  if (r.xas.fits.length > 0) {
    const show = r.xas.fits.find((f) => f.member === r.xas.waveletMember) ?? r.xas.fits[r.xas.fits.length - 1];
    const f = show.out;
    const m = M[show.member];
    const kw = f.transform.kweight;
    const kk = (y: ArrayLike<number>) => slice(f.k, y, f.transform.kmin - 0.5, f.transform.kmax + 0.5, (k) => k ** kw);
    const pathColours = ['#555', '#8c564b', '#9467bd', '#17becf', '#bcbd22'];
    const dk = kk(f.chiData);
    const off = 1.2 * Math.max(...dk.y.map(Math.abs));
    figs.push({
      id: 'xas-fit-k',
      section: 'xas',
      title: 'Shell fit in k',
      caption: `${show.model} fitted to ${m.file} (${lbl(m, unit)}): data, fit and each path (offset below), k^${kw}-weighted; fit range k ${f.transform.kmin}–${f.transform.kmax} Å⁻¹, R ${f.transform.rmin}–${f.transform.rmax} Å.`,
      data: [
        { type: 'scatter', mode: 'lines', name: 'data', x: dk.x, y: dk.y, line: { color: colourOf(m.colour), width: 2 } },
        { type: 'scatter', mode: 'lines', name: 'fit', x: kk(f.chiModel).x, y: kk(f.chiModel).y, line: { color: '#d62728', width: 1.5, dash: 'dash' } },
        ...f.paths.map((p, i) => {
          const d = kk(p.chi);
          return { type: 'scatter', mode: 'lines', name: `${p.label} (R ${p.r.value.toFixed(3)} Å)`, x: d.x, y: d.y.map((v) => v - off * (i + 1)), line: { color: pathColours[i % pathColours.length], width: 1.2 } };
        }),
      ],
      layout: base('Shell fit in k', 'k (Å⁻¹)', `k^${kw}χ(k) (Å⁻${kw}), paths offset`),
    });
    const rr = (y: ArrayLike<number>) => slice(f.r, y, 0, 6);
    figs.push({
      id: 'xas-fit-r',
      section: 'xas',
      title: 'Shell fit in R',
      caption: `|χ(R)| of data, fit and each path for ${m.file}; the shaded band is the fit range.`,
      data: [
        { type: 'scatter', mode: 'lines', name: 'data', x: rr(f.chirData).x, y: rr(f.chirData).y, line: { color: colourOf(m.colour), width: 2 } },
        { type: 'scatter', mode: 'lines', name: 'fit', x: rr(f.chirModel).x, y: rr(f.chirModel).y, line: { color: '#d62728', width: 1.5, dash: 'dash' } },
        ...f.paths.map((p, i) => ({ type: 'scatter', mode: 'lines', name: p.label, x: rr(p.chirMag).x, y: rr(p.chirMag).y, line: { color: pathColours[i % pathColours.length], width: 1.1, dash: 'dot' } })),
      ],
      layout: {
        ...base('Shell fit in R', 'R (Å), not phase-corrected', `|χ(R)| (Å⁻${kw + 1})`),
        shapes: [{ type: 'rect', xref: 'x', yref: 'paper', x0: f.transform.rmin, x1: f.transform.rmax, y0: 0, y1: 1, fillcolor: '#999', opacity: 0.12, line: { width: 0 } }],
      },
    });
    // Parameters vs the series variable: every varied parameter, one panel each
    const models = [...new Set(r.xas.fits.map((x) => x.model))];
    const fm = r.xas.fits.filter((x) => x.model === models[0]).sort((a, b) => a.member - b.member);
    const names = Object.entries(fm[0].out.params)
      .filter(([, p]) => p.vary)
      .map(([n]) => n);
    const numeric = fm.every((x) => M[x.member].variable.value !== null);
    const xs = fm.map((x) => (numeric ? M[x.member].variable.value : M[x.member].variable.label));
    const cols = Math.min(3, names.length);
    const rows = Math.ceil(names.length / cols);
    const layout: Record<string, unknown> = { ...base(`Shell-fit parameters vs ${vname} (${models[0]})`, '', ''), grid: { rows, columns: cols, pattern: 'independent', xgap: 0.3, ygap: 0.45 }, showlegend: false, height: 270 * rows + 80 };
    const pdata = names.map((n, i) => {
      const ax = i === 0 ? '' : String(i + 1);
      layout[`xaxis${ax}`] = { title: { text: numeric ? `${vname} (${unit})` : vname }, ...(numeric ? {} : { type: 'category' }), showline: true, mirror: true };
      const unitOf = n.startsWith('ss') || /sigma/i.test(n) ? ' (Å²)' : n.startsWith('dr') || /deltar/i.test(n) ? ' (Å)' : /e0/i.test(n) ? ' (eV)' : '';
      layout[`yaxis${ax}`] = { title: { text: `${n}${unitOf}` }, showline: true, mirror: true };
      return {
        type: 'scatter',
        mode: 'markers+lines',
        name: n,
        x: xs,
        y: fm.map((x) => x.out.params[n].value),
        error_y: { type: 'data', array: fm.map((x) => x.out.params[n].stderr ?? 0), visible: true },
        marker: { size: 8, color: fm.map((x) => colourOf(M[x.member].colour)) },
        line: { color: '#999', dash: 'dot' },
        xaxis: `x${ax}`,
        yaxis: `y${ax}`,
      };
    });
    figs.push({ id: 'xas-fit-params', section: 'xas', title: `Shell-fit parameters vs ${vname}`, caption: "Varied parameters of the shell fit of every series member, ± 1σ (the errors Larch's feffit reports).", data: pdata, layout });
  }
  // ToF-SIMS
  const S = r.tofsims.spectra;
  if (S.length > 0 && r.tofsims.window) {
    const [a, b] = r.tofsims.window;
    const data: Record<string, unknown>[] = S.map((s) => ({
      type: 'scatter',
      mode: 'lines',
      name: `${s.role}: ${s.file.split('/').pop()}`,
      x: Array.from(s.out.windows[0]?.mz ?? []),
      y: Array.from(s.out.windows[0]?.intensity ?? []),
      line: { color: s.role === 'control' ? '#7f7f7f' : '#0072B2', width: 1.3 },
    }));
    const sample = S.find((s) => s.role === 'sample') ?? S[0];
    const annotations: Record<string, unknown>[] = [];
    const shapes: Record<string, unknown>[] = [];
    for (const m of sample.out.matches) {
      const peaks = [{ mz: m.observedMz ?? m.mz, label: m.fragment, ok: m.accepted }, ...m.isotopes.map((i) => ({ mz: i.mz, label: `${i.label} of ${m.fragment}`, ok: m.accepted }))];
      for (const p of peaks) {
        if (p.mz < a || p.mz > b) continue;
        const nice = p.label.replace(/^M\+2 of (\w+)/, (_, f) => (/Ni/.test(f) ? `⁶⁰Ni: ${f}` : `M+2: ${f}`)).replace(/^(Ni\S*)$/, (x) => `⁵⁸${x}`);
        shapes.push({ type: 'rect', xref: 'x', yref: 'paper', x0: p.mz - 0.02, x1: p.mz + 0.02, y0: 0, y1: 1, fillcolor: p.ok ? '#009E73' : '#D55E00', opacity: 0.15, line: { width: 0 } });
        annotations.push({ x: p.mz, y: 1, xref: 'x', yref: 'paper', text: nice, showarrow: false, yanchor: 'bottom', font: { size: 11 } });
      }
    }
    figs.push({
      id: 'tofsims-window',
      section: 'tofsims',
      title: `Mass spectrum, m/z ${a}–${b}`,
      caption: `Positive-ion spectra around ${r.tofsims.windowFragment} on the recalibrated m/z axis; shaded: matched fragment windows and their isotope partners (green: mass and isotope pattern agree).`,
      data,
      layout: { ...base(`Fragment window m/z ${a}–${b}`, 'm/z', 'Counts per channel'), shapes, annotations, margin: { l: 70, r: 20, t: 80, b: 60 } },
    });
  }
  if (S.length > 0) {
    const frags = S[0].out.matches.map((m) => m.fragment);
    figs.push({
      id: 'tofsims-compare',
      section: 'tofsims',
      title: 'Sample vs control',
      caption: 'Area of each fragment peak normalized to the total ion count (×10⁶), with its counting error; empty = not found.',
      data: S.map((s) => ({
        type: 'bar',
        name: `${s.role}: ${s.file.split('/').pop()}`,
        x: frags,
        y: s.out.matches.map((m) => (m.normalizedArea ?? 0) * 1e6),
        error_y: { type: 'data', array: s.out.matches.map((m) => (m.areaError && m.area ? ((m.normalizedArea ?? 0) * 1e6 * m.areaError) / m.area : 0)), visible: true },
        marker: { color: s.role === 'control' ? '#7f7f7f' : '#0072B2' },
      })),
      layout: { ...base('Fragment intensities: sample vs control', 'Fragment ion', 'Normalized area (ppm of total counts)'), barmode: 'group' },
    });
  }
  // HAADF
  for (const [idx, im] of r.haadf.images.entries()) {
    const o = im.out;
    const suffix = idx === 0 ? '' : `-${idx + 1}`;
    const png = `data:image/png;base64,${Buffer.from(o.png).toString('base64')}`;
    const wNm = o.width * o.pixelNm;
    const hNm = o.height * o.pixelNm;
    const cls: [string, string][] = [
      ['single', '#00b7ff'],
      ['pair', '#ff3030'],
      ['multimer', '#ffd000'],
    ];
    figs.push({
      id: `haadf-image${suffix}`,
      section: 'haadf',
      title: `HAADF image ${im.file}`,
      caption: `Detected atoms coloured by site class (pair cut-off ${r.config.haadf.maxPairNm} nm); ${o.atoms.length} atoms, pixel ${o.pixelNm} nm; ${o.detection}.`,
      data: cls.map(([c, colour]) => {
        const at = o.atoms.filter((a) => a.type === c);
        return { type: 'scatter', mode: 'markers', name: `${c} (${at.length} atoms)`, x: at.map((a) => a.xNm), y: at.map((a) => a.yNm), marker: { size: 9, color: 'rgba(0,0,0,0)', line: { color: colour, width: 2 } } };
      }),
      layout: {
        ...base(`HAADF: ${im.file}`, 'x (nm)', 'y (nm)'),
        xaxis: { title: { text: 'x (nm)' }, range: [0, wNm], showgrid: false, zeroline: false, constrain: 'domain', ticks: 'outside' },
        yaxis: { title: { text: 'y (nm)' }, range: [hNm, 0], showgrid: false, zeroline: false, scaleanchor: 'x', constrain: 'domain', ticks: 'outside' },
        images: [{ source: png, xref: 'x', yref: 'y', x: 0, y: 0, sizex: wNm, sizey: hNm, sizing: 'stretch', layer: 'below' }],
        legend: { orientation: 'h', x: 0, y: -0.12 },
        margin: { l: 60, r: 20, t: 50, b: 90 },
        height: 680,
        width: 620,
      },
    });
    const st = o.stats as { histogram: { edgesNm: number[]; counts: number[]; binNm: number }; gaussFit: { amplitude: number; mu: number; sigma: number } | null; nPairs: number };
    const h = st.histogram;
    const centres = h.counts.map((_, i) => (h.edgesNm[i] + h.edgesNm[i + 1]) / 2);
    const data: Record<string, unknown>[] = [{ type: 'bar', name: 'pair spacings', x: centres, y: h.counts, width: h.binNm, marker: { color: '#9ecae1' } }];
    if (o.kde) {
      const n = o.pairDistancesNm.length;
      data.push({ type: 'scatter', mode: 'lines', name: `KDE (bandwidth ${o.kde.bandwidth.toFixed(4)} nm)`, x: Array.from(o.kde.grid), y: Array.from(o.kde.density, (d) => d * n * h.binNm), line: { color: '#08519c', width: 2 } });
    }
    if (st.gaussFit) {
      const g = st.gaussFit;
      const gx = Array.from({ length: 200 }, (_, i) => (i / 199) * (r.config.haadf.maxPairNm + 0.05));
      data.push({ type: 'scatter', mode: 'lines', name: `Gaussian µ ${g.mu.toFixed(4)} nm, σ ${g.sigma.toFixed(4)} nm`, x: gx, y: gx.map((x) => g.amplitude * Math.exp(-((x - g.mu) ** 2) / (2 * g.sigma * g.sigma))), line: { color: '#d62728', width: 2, dash: 'dash' } });
    }
    figs.push({
      id: `haadf-spacing${suffix}`,
      section: 'haadf',
      title: 'Pair spacing',
      caption: 'Distances within pairs: histogram, Gaussian kernel density (scaled to counts) and the Gaussian fit of the histogram.',
      data,
      layout: base('Pair spacing', 'Atom–atom distance (nm)', 'Pairs per bin'),
    });
    const s2 = o.stats as { pairSiteFraction: number; atomsInPairsFraction: number; ci95: { pairSiteFraction: { wilson: [number, number]; bootstrap: [number, number] }; atomsInPairsFraction: { bootstrap: [number, number] } } };
    const est = [
      { name: 'pair-site fraction (Wilson 95 %)', v: s2.pairSiteFraction, ci: s2.ci95.pairSiteFraction.wilson },
      { name: 'pair-site fraction (bootstrap 95 %)', v: s2.pairSiteFraction, ci: s2.ci95.pairSiteFraction.bootstrap },
      { name: 'atoms in pairs (bootstrap 95 %)', v: s2.atomsInPairsFraction, ci: s2.ci95.atomsInPairsFraction.bootstrap },
    ];
    figs.push({
      id: `haadf-pair-fraction${suffix}`,
      section: 'haadf',
      title: 'Pair fraction',
      caption: 'Fraction of sites that are pairs (and of atoms that sit in pairs), with 95 % intervals.',
      data: [
        {
          type: 'scatter',
          mode: 'markers',
          x: est.map((e) => e.v * 100),
          y: est.map((e) => e.name),
          error_x: { type: 'data', symmetric: false, array: est.map((e) => (e.ci[1] - e.v) * 100), arrayminus: est.map((e) => (e.v - e.ci[0]) * 100), visible: true },
          marker: { size: 12, color: '#d62728' },
          name: 'estimate',
        },
      ],
      layout: { ...base('Pair fraction with 95 % intervals', 'Fraction (%)', ''), xaxis: { title: { text: 'Fraction (%)' }, range: [0, 100], showline: true, mirror: true }, yaxis: { automargin: true, showline: true, mirror: true }, margin: { l: 240, r: 20, t: 50, b: 60 } },
    });
  }
  return figs;
}
