// HAADF workspace: image (pan/zoom) with detected atoms, click to add/remove an atom, pairs drawn,
// pair-distance histogram + KDE + Gaussian, pair fraction with its interval, and the line profile
// of a selected pair (stem-stats lineProfile + two-Gaussian fit).
import type { Compute } from './client';
import type { haadfLoad, haadfStats } from './compute';
import { isCompanionFile, pairSegments, toggleAtom, type Session } from './state';
import { Figure, Messages, TableView, el, numberInput } from './ui';

type Loaded = Awaited<ReturnType<typeof haadfLoad>>;
type Stats = ReturnType<typeof haadfStats>;

interface PlotlyClick {
  points: { x: number; y: number }[];
}

export class HaadfView {
  private loaded = new Map<string, Loaded>();
  private current: string | null = null;
  private stats: Stats | null = null;
  private imageSelect: HTMLSelectElement;
  private pairSelect: HTMLSelectElement;
  private summary: HTMLElement;
  private image: Figure;
  private hist: Figure;
  private profile: Figure;
  private statsTable: TableView;
  private atomsTable: TableView;
  private clickBound = false;
  onRemove?: (name: string) => void;

  constructor(root: HTMLElement, private session: Session, private compute: Compute, private msg: Messages) {
    this.imageSelect = el('select', { id: 'haadf-image', 'aria-label': 'image' });
    this.imageSelect.onchange = () => void this.show(this.imageSelect.value);
    this.pairSelect = el('select', { id: 'haadf-pair', 'aria-label': 'pair for the line profile' });
    this.pairSelect.onchange = () => void this.drawProfile();
    const reset = el('button', { type: 'button', id: 'haadf-reset', text: 'Reset to detected atoms' });
    reset.onclick = () => {
      if (!this.current) return;
      this.session.haadf.atoms[this.current] = this.loaded.get(this.current)!.atoms.map((a) => ({ ...a }));
      void this.update();
    };
    const maxPair = numberInput('pair cut-off (nm)', this.session.haadf.maxPairNm, (v) => {
      if (v !== undefined && v > 0) {
        this.session.haadf.maxPairNm = v;
        void this.update();
      }
    });
    this.summary = el('div', { class: 'summary', id: 'haadf-summary', 'aria-live': 'polite' });
    const side = el('div', { class: 'side' }, el('h3', { text: 'Image' }), this.imageSelect, maxPair, reset, el('p', { class: 'hint', text: 'Click on the image to add an atom; click on an atom to remove it. Scroll to zoom, drag to pan.' }), this.summary, el('h3', { text: 'Line profile of pair' }), this.pairSelect);
    const main = el('div', { class: 'figures' });
    root.append(el('div', { class: 'workspace-body' }, side, main));
    this.image = new Figure(main, 'haadf-image', 'HAADF image with atoms (singles ○, pairs ●, multimers ◆) and pairs');
    this.hist = new Figure(main, 'haadf-hist', 'Pair distances: histogram, KDE and Gaussian fit');
    this.profile = new Figure(main, 'haadf-profile', 'Line profile through the selected pair');
    this.statsTable = new TableView(main, 'haadf-stats', 'Pair statistics');
    this.atomsTable = new TableView(main, 'haadf-atoms', 'Atoms');
  }

  async refresh(): Promise<void> {
    // A TIA .emi only carries the acquisition metadata of its .ser: the image is read from the .ser.
    const files = this.session.files.filter((f) => f.workspace === 'haadf' && !isCompanionFile(f.name));
    for (const f of files) {
      if (this.loaded.has(f.name)) continue;
      try {
        const r = await this.compute.run('haadfLoad', `HAADF ${f.name}`, f.bytes, f.name);
        this.loaded.set(f.name, r);
        if (!this.session.haadf.atoms[f.name]) this.session.haadf.atoms[f.name] = r.atoms.map((a) => ({ ...a }));
        this.msg.info(`${f.name}: ${r.atoms.length} atoms; ${r.detection}`);
        this.msg.warnings(f.name, r.warnings);
        this.current = f.name;
      } catch (err) {
        this.msg.error(`${f.name}: ${(err as Error).message}`);
        this.onRemove?.(f.name);
        return;
      }
    }
    for (const n of [...this.loaded.keys()]) if (!files.some((f) => f.name === n)) this.loaded.delete(n);
    if (this.current && !this.loaded.has(this.current)) this.current = null;
    this.current ??= [...this.loaded.keys()][0] ?? null;
    this.imageSelect.replaceChildren(...[...this.loaded.keys()].map((n) => el('option', { value: n, text: n })));
    if (this.current) this.imageSelect.value = this.current;
    await this.update();
  }

  private async show(name: string): Promise<void> {
    this.current = name;
    await this.update();
  }

  /** Recompute the statistics for the current atom list and redraw everything. */
  async update(): Promise<void> {
    const name = this.current;
    if (!name) {
      [this.image, this.hist, this.profile].forEach((f) => f.clear());
      this.summary.textContent = '';
      return;
    }
    const img = this.loaded.get(name)!;
    const atoms = this.session.haadf.atoms[name] ?? [];
    try {
      this.stats = await this.compute.run('haadfStats', `pair statistics ${name}`, name, atoms, this.session.haadf.maxPairNm, img.width, img.height, img.pixelNm);
    } catch (err) {
      this.msg.error(`${name}: ${(err as Error).message}`);
      return;
    }
    const st = this.stats.stats;
    const s = this.stats;
    const type = new Array<string>(atoms.length).fill('single');
    s.sites.forEach((site) => site.atoms.forEach((a) => (type[a] = site.type)));
    const pairs = pairSegments(s.sites);
    const px: (number | null)[] = [], py: (number | null)[] = [];
    for (const [a, b] of pairs) px.push(atoms[a].x, atoms[b].x, null), py.push(atoms[a].y, atoms[b].y, null);
    const group = (t: string, symbol: string, color: string) => {
      const idx = atoms.map((_, i) => i).filter((i) => type[i] === t);
      return { type: 'scatter', mode: 'markers', name: `${t} (${idx.length})`, x: idx.map((i) => atoms[i].x), y: idx.map((i) => atoms[i].y), marker: { symbol, size: 9, color, line: { width: 1.5, color } } };
    };
    const sc = img.scale;
    await this.image.draw(
      [
        { type: 'heatmap', z: img.z, x0: (sc - 1) / 2, dx: sc, y0: (sc - 1) / 2, dy: sc, colorscale: 'Greys', reversescale: true, showscale: false, hoverinfo: 'x+y', name: 'image' },
        { type: 'scatter', mode: 'lines', x: px, y: py, name: `pairs (${pairs.length})`, line: { color: '#e4572e', width: 2 }, hoverinfo: 'skip' },
        group('single', 'circle-open', '#29a3d6'),
        group('pair', 'circle', '#e4572e'),
        group('multimer', 'diamond', '#f3a712'),
      ],
      {
        height: 520,
        xaxis: { range: [-0.5, img.width - 0.5], constrain: 'domain', title: { text: `x (px; ${img.pixelNm.toFixed(4)} nm/px)` } },
        yaxis: { range: [img.height - 0.5, -0.5], scaleanchor: 'x', constrain: 'domain', title: { text: 'y (px)' } },
        dragmode: 'pan',
        hovermode: 'closest',
        legend: { orientation: 'h', y: -0.12, font: { size: 10 } },
        margin: { l: 60, r: 10, t: 10, b: 80 },
      },
    );
    if (!this.clickBound) {
      this.clickBound = true;
      (this.image.plot as unknown as { on(ev: string, cb: (d: PlotlyClick) => void): void }).on('plotly_click', (d) => {
        const p = d.points[0];
        if (p) void this.click(p.x, p.y);
      });
    }
    // Histogram + KDE + Gaussian (counts per bin; KDE and Gaussian scaled to counts).
    const h = st.histogram;
    const centers = h.counts.map((_, i) => (h.edgesNm[i] + h.edgesNm[i + 1]) / 2);
    const n = s.pairDistancesNm.length;
    const traces: unknown[] = [{ type: 'bar', x: centers, y: h.counts, width: h.binNm, name: `pairs (n=${n})`, marker: { color: 'rgba(100,100,200,0.6)' } }];
    if (s.kde) traces.push({ type: 'scatter', mode: 'lines', x: Array.from(s.kde.grid), y: Array.from(s.kde.density, (d) => d * n * h.binNm), name: 'KDE' });
    const g = st.gaussFit;
    if (g) {
      const xs = Array.from({ length: 200 }, (_, i) => (i / 199) * (st.maxPairNm + 0.05));
      traces.push({ type: 'scatter', mode: 'lines', x: xs, y: xs.map((x) => g.amplitude * Math.exp(-((x - g.mu) ** 2) / (2 * g.sigma ** 2))), name: `Gaussian µ=${g.mu.toFixed(3)} nm`, line: { dash: 'dash' } });
    }
    await this.hist.draw(traces, { xaxis: { title: { text: 'pair distance (nm)' } }, yaxis: { title: { text: 'pairs per bin' } } });
    const ci = st.ci95.pairSiteFraction;
    this.summary.textContent = `${st.nAtoms} atoms · ${st.nSites} sites · ${st.nPairs} pairs · pair fraction ${(st.pairSiteFraction * 100).toFixed(1)} % (95 % Wilson ${(ci.wilson[0] * 100).toFixed(1)}–${(ci.wilson[1] * 100).toFixed(1)} %)`;
    this.statsTable.render({
      name: 'stats',
      columns: ['quantity', 'value', '95 % low', '95 % high'],
      rows: [
        ['atoms', st.nAtoms, null, null],
        ['sites', st.nSites, null, null],
        ['pairs', st.nPairs, null, null],
        ['singles', st.nSingles, null, null],
        ['multimers', st.nMultimers, null, null],
        ['pair-site fraction (Wilson)', st.pairSiteFraction, ci.wilson[0], ci.wilson[1]],
        ['pair-site fraction (bootstrap)', st.pairSiteFraction, ci.bootstrap[0], ci.bootstrap[1]],
        ['atoms in pairs (bootstrap)', st.atomsInPairsFraction, st.ci95.atomsInPairsFraction.bootstrap[0], st.ci95.atomsInPairsFraction.bootstrap[1]],
        ['mean pair distance (nm)', st.meanPairDistanceNm, null, null],
        ['KDE mode (nm)', st.kdeModeNm, null, null],
        ['Gaussian µ (nm)', g?.mu ?? null, g ? g.mu - 1.96 * g.muErr : null, g ? g.mu + 1.96 * g.muErr : null],
        ['density (atoms/nm²)', st.density, null, null],
      ],
    });
    this.atomsTable.render({ name: 'atoms', columns: ['#', 'x (px)', 'y (px)', 'x (nm)', 'y (nm)', 'site type'], rows: atoms.map((a, i) => [i, a.x, a.y, a.x * img.pixelNm, a.y * img.pixelNm, type[i]]) });
    const prev = this.pairSelect.value;
    this.pairSelect.replaceChildren(...pairs.map(([a, b], i) => el('option', { value: `${a},${b}`, text: `pair ${i + 1}: atoms ${a}–${b} (${(Math.hypot(atoms[a].x - atoms[b].x, atoms[a].y - atoms[b].y) * img.pixelNm).toFixed(3)} nm)` })));
    if (pairs.some(([a, b]) => `${a},${b}` === prev)) this.pairSelect.value = prev;
    await this.drawProfile();
  }

  private async click(x: number, y: number): Promise<void> {
    if (!this.current) return;
    const img = this.loaded.get(this.current)!;
    const radius = Math.max(3, 0.08 / img.pixelNm);
    const r = toggleAtom(this.session.haadf.atoms[this.current] ?? [], { x, y }, radius);
    this.session.haadf.atoms[this.current] = r.atoms;
    this.image.root.dataset.lastAction = r.action;
    await this.update();
  }

  private async drawProfile(): Promise<void> {
    const name = this.current;
    const v = this.pairSelect.value;
    if (!name || !v) return this.profile.clear();
    const [a, b] = v.split(',').map(Number);
    const atoms = this.session.haadf.atoms[name];
    try {
      const p = await this.compute.run('haadfProfile', `line profile ${name}`, name, atoms[a], atoms[b]);
      const traces: unknown[] = [{ type: 'scatter', mode: 'lines', x: Array.from(p.sNm), y: Array.from(p.v), name: 'profile (3 px wide)' }];
      if (p.fit) {
        const f = p.fit;
        const sig = f.sigmaNm;
        traces.push({ type: 'scatter', mode: 'lines', x: Array.from(p.sNm), y: Array.from(p.sNm, (s) => f.background + f.a1 * Math.exp(-((s - f.m1Nm) ** 2) / (2 * sig * sig)) + f.a2 * Math.exp(-((s - f.m2Nm) ** 2) / (2 * sig * sig))), name: `two Gaussians (Δ=${Math.abs(f.m2Nm - f.m1Nm).toFixed(3)} nm)`, line: { dash: 'dash' } });
      }
      await this.profile.draw(traces, { xaxis: { title: { text: 'distance along the pair (nm)' } }, yaxis: { title: { text: 'intensity' } } });
    } catch (err) {
      this.msg.error(`line profile: ${(err as Error).message}`);
    }
  }
}
