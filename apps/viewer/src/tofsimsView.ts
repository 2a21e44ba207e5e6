// ToF-SIMS workspace: full spectra (zoomable), fragment list editor, matched peaks annotated,
// isotope pattern overlay of a selected match, and the sample comparison table.
import type { Compute } from './client';
import type { tofsimsSpectrum } from './compute';
import { ibdFor, isCompanionFile, type Session } from './state';
import { Figure, Messages, TableView, el, numberInput } from './ui';

type TofResult = ReturnType<typeof tofsimsSpectrum>;

export class TofsimsView {
  private results = new Map<string, { key: string; r: TofResult }>();
  private fragList: HTMLElement;
  private full: Figure;
  private iso: Figure;
  private ion: Figure;
  private ionHalfWidth = 0.1;
  private matchSelect: HTMLSelectElement;
  private compare: TableView;
  private generation = 0;
  onRemove?: (name: string) => void;

  constructor(root: HTMLElement, private session: Session, private compute: Compute, private msg: Messages) {
    this.fragList = el('ul', { class: 'fragments', id: 'tof-fragments' });
    const input = el('input', { type: 'text', id: 'tof-fragment-input', placeholder: 'e.g. NiN4C4+', 'aria-label': 'new fragment formula' });
    const add = el('button', { type: 'button', id: 'tof-fragment-add', text: 'Add' });
    const addFrag = () => {
      const f = input.value.trim();
      if (!f) return;
      if (!this.session.tofsims.fragments.includes(f)) this.session.tofsims.fragments.push(f);
      input.value = '';
      this.renderFragments();
      void this.refresh();
    };
    add.onclick = addFrag;
    input.onkeydown = (e) => {
      if (e.key === 'Enter') addFrag();
    };
    const tol = numberInput('tolerance (ppm)', this.session.tofsims.tolPpm, (v) => {
      if (v !== undefined && v > 0) {
        this.session.tofsims.tolPpm = v;
        void this.refresh();
      }
    });
    this.matchSelect = el('select', { id: 'tof-match', 'aria-label': 'match shown with its isotope pattern' });
    this.matchSelect.onchange = () => void this.drawIsotopes().then(() => this.drawIonImage());
    const half = numberInput('ion image ± m/z', this.ionHalfWidth, (v) => {
      if (v !== undefined && v > 0) {
        this.ionHalfWidth = v;
        void this.drawIonImage();
      }
    }, { id: 'tof-ion-halfwidth' });
    const side = el('div', { class: 'side' }, el('h3', { text: 'Fragments' }), this.fragList, el('div', { class: 'controls' }, input, add), tol, el('h3', { text: 'Isotope overlay / ion image' }), this.matchSelect, half);
    const main = el('div', { class: 'figures' });
    root.append(el('div', { class: 'workspace-body' }, side, main));
    this.full = new Figure(main, 'tof-spectrum', 'Spectra (drag to zoom, double-click to reset); accepted matches annotated');
    this.iso = new Figure(main, 'tof-isotopes', 'Selected match: measured window and expected isotope pattern');
    this.ion = new Figure(main, 'tof-ion', 'Ion image of the selected fragment (imzML maps)');
    this.compare = new TableView(main, 'tof-compare', 'Sample comparison (normalized areas; accepted matches)');
    this.renderFragments();
  }

  renderFragments(): void {
    const fr = this.session.tofsims.fragments;
    this.fragList.replaceChildren(
      ...fr.map((f, i) => {
        const rm = el('button', { type: 'button', 'aria-label': `remove fragment ${f}`, text: '×' });
        rm.onclick = () => {
          fr.splice(i, 1);
          this.renderFragments();
          void this.refresh();
        };
        return el('li', {}, el('span', { text: f }), rm);
      }),
    );
  }

  async refresh(): Promise<void> {
    const gen = ++this.generation;
    const all = this.session.files.filter((f) => f.workspace === 'tofsims');
    // A .ibd is read with its .imzML (paired by base name), never alone.
    const files = all.filter((f) => !isCompanionFile(f.name));
    const key = JSON.stringify(this.session.tofsims);
    for (const f of files) {
      if (this.results.get(f.name)?.key === key) continue;
      try {
        let r: TofResult;
        if (/\.imzml$/i.test(f.name)) {
          const ibdName = ibdFor(f.name, all.map((x) => x.name));
          if (!ibdName) throw new Error(`the binary data file ${f.name.replace(/\.imzml$/i, '')}.ibd is missing: open the .imzML and its .ibd together`);
          const ibd = all.find((x) => x.name === ibdName)!;
          r = await this.compute.run('tofsimsImzml', `ToF-SIMS ${f.name}`, f.bytes, f.name, ibd.bytes, ibd.name, this.session.tofsims.fragments, this.session.tofsims.tolPpm);
        } else r = await this.compute.run('tofsimsSpectrum', `ToF-SIMS ${f.name}`, f.bytes, f.name, this.session.tofsims.fragments, this.session.tofsims.tolPpm);
        if (!this.results.has(f.name)) this.msg.warnings(f.name, r.warnings);
        this.results.set(f.name, { key, r });
      } catch (err) {
        this.msg.error(`${f.name}: ${(err as Error).message}`);
        this.onRemove?.(f.name);
        return;
      }
      if (gen !== this.generation) return;
    }
    for (const n of [...this.results.keys()]) if (!files.some((f) => f.name === n)) this.results.delete(n);
    await this.draw();
  }

  private async draw(): Promise<void> {
    const rs = [...this.results.values()].map((x) => x.r);
    if (rs.length === 0) {
      this.full.clear();
      this.iso.clear();
      this.ion.clear();
      this.compare.render({ name: 'compare', columns: [], rows: [] });
      this.matchSelect.replaceChildren();
      return;
    }
    const first = rs[0];
    const annotations = first.matches
      .filter((m) => m.accepted && m.observedMz !== null)
      .map((m) => ({ x: m.observedMz, y: Math.max(...Array.from(m.window.intensity)), text: m.fragment, showarrow: true, arrowhead: 0, ay: -25, font: { size: 10 } }));
    await this.full.draw(
      rs.map((r) => ({ type: 'scatter', mode: 'lines', x: Array.from(r.mz), y: Array.from(r.intensity), name: r.name, line: { width: 1 } })),
      { xaxis: { title: { text: 'm/z' } }, yaxis: { title: { text: 'counts' } }, annotations, dragmode: 'zoom' },
    );
    const prev = this.matchSelect.value;
    this.matchSelect.replaceChildren(...first.matches.map((m, i) => el('option', { value: String(i), text: `${m.fragment} ${m.accepted ? '✓' : '✗'}` })));
    if (prev && Number(prev) < first.matches.length) this.matchSelect.value = prev;
    await this.drawIsotopes();
    await this.drawIonImage();
    const fr = this.session.tofsims.fragments;
    const rows = fr.map((frag) => [
      frag,
      ...rs.flatMap((r) => {
        const m = r.matches.find((x) => x.fragment === frag);
        return [m?.accepted ? m.normalizedArea : null, m?.ppm ?? null, m ? (m.accepted ? 'yes' : m.reason) : 'not matched'];
      }),
    ]);
    this.compare.render({ name: 'compare', columns: ['fragment', ...rs.flatMap((r) => [`${r.name} norm. area`, `${r.name} Δ (ppm)`, `${r.name} accepted`])], rows });
  }

  private async drawIsotopes(): Promise<void> {
    const rs = [...this.results.values()].map((x) => x.r);
    const i = Number(this.matchSelect.value || 0);
    const traces: unknown[] = [];
    for (const r of rs) {
      const m = r.matches[i];
      if (!m) continue;
      traces.push({ type: 'scatter', mode: 'lines', x: Array.from(m.window.mz), y: Array.from(m.window.intensity), name: `${r.name}` });
    }
    const m0 = rs[0]?.matches[i];
    if (m0) {
      // Expected pattern as sticks scaled to the measured height of the main peak (the package's
      // expected ratios are of areas; on one peak shape the height ratio is the same).
      const w = m0.window;
      const at = m0.observedMz ?? m0.mz;
      let h = 0;
      for (let j = 0; j < w.mz.length; j++) if (Math.abs(w.mz[j] - at) < 0.05 && w.intensity[j] > h) h = w.intensity[j];
      const sticks = [{ mz: m0.mz, label: m0.fragment, ratio: 1 }, ...m0.isotopes.map((p) => ({ mz: p.mz, label: p.label, ratio: p.expectedRatio }))];
      traces.push({
        type: 'scatter', mode: 'lines+markers', name: `${m0.fragment} expected pattern (scaled to ${rs[0].name})`,
        x: sticks.flatMap((p) => [p.mz, p.mz, null]), y: sticks.flatMap((p) => [0, p.ratio * h, null]),
        text: sticks.flatMap((p) => [p.label, p.label, '']), line: { color: 'rgba(200,30,30,0.9)', width: 2 }, marker: { size: 6, symbol: 'diamond' },
      });
    }
    if (traces.length) await this.iso.draw(traces, { xaxis: { title: { text: 'm/z' } }, yaxis: { title: { text: 'counts' } } });
    else this.iso.clear();
  }

  /** Ion image of the selected fragment for the first imzML map: counts within ± half-width of its m/z. */
  private async drawIonImage(): Promise<void> {
    const map = [...this.results.values()].map((x) => x.r).find((r) => r.map);
    const m = map?.matches[Number(this.matchSelect.value || 0)];
    if (!map || !m) return this.ion.clear();
    const at = m.observedMz ?? m.mz;
    try {
      const img = await this.compute.run('tofsimsIonImage', `ion image ${m.fragment}`, map.name, at - this.ionHalfWidth, at + this.ionHalfWidth);
      await this.ion.draw(
        [{ type: 'heatmap', z: img.z, x0: 1, dx: 1, y0: 1, dy: 1, colorscale: 'Viridis', colorbar: { title: { text: 'counts' } }, name: m.fragment, hovertemplate: 'x %{x}, y %{y}: %{z} counts<extra></extra>' }],
        {
          height: 360,
          xaxis: { title: { text: `x (pixel) — ${map.name}: ${m.fragment}, m/z ${img.mzLow.toFixed(3)}–${img.mzHigh.toFixed(3)}` }, constrain: 'domain' },
          yaxis: { title: { text: 'y (pixel)' }, autorange: 'reversed', scaleanchor: 'x', constrain: 'domain' },
        },
      );
    } catch (err) {
      this.msg.error(`ion image: ${(err as Error).message}`);
    }
  }
}
