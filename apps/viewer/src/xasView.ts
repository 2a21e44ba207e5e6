// XAS workspace: spectra list with the series variable, normalization parameters (shared or per
// spectrum), overlays of norm / dμ/dE with E0 markers, χ(k), |χ(R)|, wavelet, edge shift vs the
// series variable, LCF and shell fit.
import type { Compute } from './client';
import type { XasResult } from './compute';
import { entryFile, expandEntry, isAuxXasFile, moveSelection, paramsFor, parseVariable, parseVariableInput, seriesOrder, setParam, type Session, type XasParams } from './state';
import { Figure, Messages, TableView, el, numberInput } from './ui';

const PARAM_KEYS: [keyof XasParams, string][] = [
  ['pre1', 'pre1 (eV)'],
  ['pre2', 'pre2 (eV)'],
  ['norm1', 'norm1 (eV)'],
  ['norm2', 'norm2 (eV)'],
  ['rbkg', 'rbkg (Å)'],
  ['kmin', 'kmin (Å⁻¹)'],
  ['kmax', 'kmax (Å⁻¹)'],
  ['kweight', 'k-weight'],
  ['dk', 'dk'],
];

export class XasView {
  private results = new Map<string, { key: string; r: XasResult }>();
  private list: HTMLElement;
  private params: HTMLElement;
  private figs: Record<string, Figure> = {};
  private edgeTable: TableView;
  private lcfTable: TableView;
  private fitTable: TableView;
  private fitButton: HTMLButtonElement;
  private lcfWindow = { emin: -20, emax: 30 };
  private generation = 0;
  private partsChecked = new Set<string>();

  constructor(root: HTMLElement, private session: Session, private compute: Compute, private msg: Messages) {
    this.list = el('div', { class: 'spectra', id: 'xas-list', tabindex: '0', 'aria-label': 'spectra (↑/↓ to select)' });
    this.list.onkeydown = (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      if ((e.target as HTMLElement).tagName === 'INPUT') return;
      e.preventDefault();
      this.select(moveSelection(this.session.xas.selected, e.key === 'ArrowDown' ? 1 : -1, this.session.xas.entries.length));
    };
    this.params = el('div', { class: 'params', id: 'xas-params' });
    const side = el('div', { class: 'side' }, el('h3', { text: 'Spectra' }), this.list, el('h3', { text: 'Parameters' }), this.params);
    const main = el('div', { class: 'figures' });
    root.append(el('div', { class: 'workspace-body' }, side, main));
    this.figs.norm = new Figure(main, 'xas-norm', 'Normalized μ(E) with E0 markers');
    this.figs.deriv = new Figure(main, 'xas-deriv', 'Derivative dμ/dE (normalized)');
    this.figs.chik = new Figure(main, 'xas-chik', 'k-weighted χ(k)');
    this.figs.chir = new Figure(main, 'xas-chir', '|χ(R)|');
    this.figs.wavelet = new Figure(main, 'xas-wavelet', 'Cauchy wavelet |W(k,R)| of the selected spectrum');
    this.figs.shift = new Figure(main, 'xas-shift', 'Edge shift (half step) vs series variable');
    this.edgeTable = new TableView(main, 'xas-edges', 'Edge positions');
    this.figs.lcf = new Figure(main, 'xas-lcf', 'LCF of the selected spectrum (normalized μ)');
    const lcfCtl = el('div', { class: 'controls' }, el('span', { text: 'Mark spectra as references (ref), fit window relative to E0: ' }));
    lcfCtl.append(numberInput('from', this.lcfWindow.emin, (v) => { if (v !== undefined) { this.lcfWindow.emin = v; void this.runLcf(); } }));
    lcfCtl.append(numberInput('to', this.lcfWindow.emax, (v) => { if (v !== undefined) { this.lcfWindow.emax = v; void this.runLcf(); } }));
    main.append(lcfCtl);
    this.lcfTable = new TableView(main, 'xas-lcf', 'LCF weights');
    this.fitButton = el('button', { type: 'button', id: 'xas-fit-run', text: 'Run shell fit on the selected spectrum' });
    this.fitButton.onclick = () => void this.runShellFit();
    main.append(el('div', { class: 'controls' }, el('span', { text: 'Shell fit: drop a *.model.json with its feffNNNN.dat files. ' }), this.fitButton));
    this.figs.fit = new Figure(main, 'xas-fit', 'Shell fit |χ(R)|: data and model');
    this.fitTable = new TableView(main, 'xas-fit', 'Shell-fit parameters');
    this.renderList();
    this.renderParams();
  }

  private spectrumFiles() {
    return this.session.files.filter((f) => f.workspace === 'xas' && !isAuxXasFile(f.name));
  }

  select(i: number): void {
    this.session.xas.selected = i;
    this.renderList();
    this.renderParams();
    void this.refresh();
  }

  renderList(): void {
    const s = this.session.xas;
    const rows = s.entries.map((e, i) => {
      const r = this.results.get(e.name)?.r;
      const ref = el('input', { type: 'checkbox', title: 'use as LCF reference', 'aria-label': `${e.name} is an LCF reference` });
      ref.checked = e.isReference;
      ref.onchange = () => {
        e.isReference = ref.checked;
        void this.runLcf();
      };
      const v = el('input', { type: 'text', class: 'variable', value: e.variable === null ? '' : String(e.variable), 'aria-label': `${s.variableName} of ${e.name}`, size: '6' });
      v.onchange = () => {
        const p = parseVariableInput(v.value);
        if (p === undefined) {
          this.msg.error(`${e.name}: "${v.value}" is not a number (series variable)`);
          v.value = e.variable === null ? '' : String(e.variable);
          return;
        }
        e.variable = p;
        void this.refresh();
      };
      const rm = el('button', { type: 'button', title: 'remove', 'aria-label': `remove ${e.name}`, text: '×' });
      rm.onclick = (ev) => {
        ev.stopPropagation();
        this.onRemove?.(e.name);
      };
      const row = el('tr', { class: i === s.selected ? 'selected' : '', 'data-name': e.name }, el('td', {}, ref), el('td', { text: e.name }), el('td', {}, v), el('td', { text: r ? r.halfStep.toFixed(2) : '…' }), el('td', {}, rm));
      row.onclick = (ev) => {
        if ((ev.target as HTMLElement).tagName !== 'INPUT') this.select(i);
      };
      return row;
    });
    const head = el('tr', {}, el('th', { text: 'ref' }), el('th', { text: 'file' }), el('th', { text: s.variableName }), el('th', { text: 'E0 ½-step' }), el('th', { text: '' }));
    this.list.replaceChildren(rows.length ? el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)) : el('p', { class: 'hint', text: 'Drop XDI / ASCII / SPEC / Athena .prj files here or use “Open files”.' }));
  }

  onRemove?: (name: string) => void;

  renderParams(): void {
    const s = this.session.xas;
    const share = el('input', { type: 'checkbox', id: 'xas-share' });
    share.checked = s.shareParams;
    share.onchange = () => {
      s.shareParams = share.checked;
      this.renderParams();
      void this.refresh();
    };
    const i = s.selected;
    const p = paramsFor(this.session, i);
    const who = s.shareParams ? 'all spectra' : (s.entries[i]?.name ?? '—');
    const inputs = PARAM_KEYS.map(([k, label]) =>
      numberInput(label, p[k], (v) => {
        if (v === undefined && k !== 'norm2') return;
        setParam(this.session, i, k, v);
        void this.refresh();
      }, { 'data-param': k }),
    );
    const mu = el('input', { type: 'text', id: 'xas-mu', value: s.muExpr, placeholder: 'auto, e.g. ln(i0/itrans)', size: '14' });
    mu.onchange = () => {
      s.muExpr = mu.value.trim();
      void this.refresh();
    };
    const vname = el('input', { type: 'text', id: 'xas-variable-name', value: s.variableName, size: '14' });
    vname.onchange = () => {
      s.variableName = vname.value.trim() || 'series variable';
      this.renderList();
      void this.draw();
    };
    const used = this.results.get(s.entries[i]?.name ?? '')?.r.muExpr;
    this.params.replaceChildren(el('label', {}, 'series variable ', vname), el('label', {}, 'μ(E) ', mu), el('p', { class: 'hint', text: used ? `μ of the selected spectrum: ${used}` : '' }), el('label', {}, share, ' same parameters for all spectra'), el('p', { class: 'hint', text: `editing: ${who}` }), ...inputs);
  }

  /** New spectra: read the series variable from the file header where it is written. */
  async refresh(): Promise<void> {
    const gen = ++this.generation;
    const s = this.session.xas;
    const files = this.spectrumFiles();
    // Multi-spectrum files (Athena projects, SPEC) become one entry per group / scan.
    for (const n of [...this.partsChecked]) if (!files.some((f) => f.name === n)) this.partsChecked.delete(n);
    for (const e of [...s.entries]) {
      if (e.source || this.partsChecked.has(e.name)) continue;
      const f = files.find((x) => x.name === e.name);
      if (!f) continue;
      this.partsChecked.add(e.name);
      try {
        const parts = await this.compute.run('xasParts', `XAS ${e.name}`, f.bytes, f.name);
        if (parts.length > 1) expandEntry(this.session, e.name, parts);
      } catch {
        // The spectrum read below reports the file's problem with its typed message.
      }
    }
    for (const [i, e] of s.entries.entries()) {
      const f = files.find((x) => x.name === entryFile(e));
      if (!f) continue;
      const p = paramsFor(this.session, i);
      const wav = i === s.selected;
      const key = JSON.stringify([p, wav, s.muExpr]);
      if (this.results.get(e.name)?.key === key) continue;
      try {
        const r = await this.compute.run('xasSpectrum', `XAS ${e.name}`, f.bytes, f.name, p, wav, s.muExpr, e.part, e.name);
        if (!this.results.has(e.name)) {
          if (e.variable === null) e.variable = parseVariable(r.metadata);
          this.msg.warnings(e.name, r.warnings);
        }
        this.results.set(e.name, { key, r });
      } catch (err) {
        this.msg.error(`${e.name}: ${(err as Error).message}`);
        if (e.source) {
          // One bad group of a project: drop that entry only.
          s.entries = s.entries.filter((x) => x !== e);
          s.selected = Math.min(s.selected, Math.max(0, s.entries.length - 1));
          void this.refresh();
        } else this.onRemove?.(e.name);
        return;
      }
      if (gen !== this.generation) return;
    }
    for (const name of [...this.results.keys()]) if (!s.entries.some((e) => e.name === name)) this.results.delete(name);
    this.renderList();
    this.renderParams();
    await this.draw();
    await this.runLcf();
  }

  private async draw(): Promise<void> {
    const s = this.session.xas;
    const rs = s.entries.map((e) => this.results.get(e.name)?.r).filter((r): r is XasResult => !!r);
    if (rs.length === 0) {
      Object.values(this.figs).forEach((f) => f.clear());
      this.edgeTable.render({ name: 'edges', columns: [], rows: [] });
      return;
    }
    const line = (x: Float64Array, y: Float64Array, name: string) => ({ type: 'scatter', mode: 'lines', x: Array.from(x), y: Array.from(y), name });
    const e0Marker = (rs2: XasResult[], y: (r: XasResult) => number) => ({
      type: 'scatter', mode: 'markers', name: 'E0 (½ step)', marker: { symbol: 'x', size: 9, color: 'black' },
      x: rs2.map((r) => r.halfStep), y: rs2.map(y),
    });
    const e0min = Math.min(...rs.map((r) => r.e0));
    const erange = [e0min - 40, e0min + 80];
    const interp = (r: XasResult, arr: Float64Array, at: number) => {
      let i = 1;
      while (i < r.energy.length - 1 && r.energy[i] < at) i++;
      const t = (at - r.energy[i - 1]) / (r.energy[i] - r.energy[i - 1] || 1);
      return arr[i - 1] + t * (arr[i] - arr[i - 1]);
    };
    await this.figs.norm.draw([...rs.map((r) => line(r.energy, r.norm, r.name)), e0Marker(rs, (r) => interp(r, r.norm, r.halfStep))], { xaxis: { title: { text: 'Energy (eV)' }, range: erange }, yaxis: { title: { text: 'normalized μ' } } });
    await this.figs.deriv.draw(
      [...rs.map((r) => line(r.energy, Float64Array.from(r.dmude, (d) => d / (r.edgeStep || 1)), r.name)), e0Marker(rs, (r) => interp(r, r.dmude, r.halfStep) / (r.edgeStep || 1))],
      { xaxis: { title: { text: 'Energy (eV)' }, range: erange }, yaxis: { title: { text: 'dμ/dE (normalized)' } } },
    );
    const kw = paramsFor(this.session, s.selected).kweight;
    await this.figs.chik.draw(rs.map((r) => line(r.k, r.chi, r.name)), { xaxis: { title: { text: 'k (Å⁻¹)' } }, yaxis: { title: { text: `k^${kw} χ(k)` } } });
    await this.figs.chir.draw(rs.map((r) => line(r.r, r.chirMag, r.name)), { xaxis: { title: { text: 'R (Å, not phase-corrected)' } }, yaxis: { title: { text: '|χ(R)|' } } });
    const sel = this.results.get(s.entries[s.selected]?.name ?? '')?.r;
    if (sel?.wavelet) {
      await this.figs.wavelet.draw([{ type: 'heatmap', x: Array.from(sel.wavelet.k), y: Array.from(sel.wavelet.r), z: sel.wavelet.mag, colorscale: 'Viridis', name: sel.name }], { xaxis: { title: { text: 'k (Å⁻¹)' } }, yaxis: { title: { text: 'R (Å)' } } });
    } else this.figs.wavelet.clear();
    // Edge shift relative to the first spectrum of the list (usually the OCP / as-prepared scan).
    const order = seriesOrder(s.entries).filter((i) => this.results.has(s.entries[i].name));
    const ref = rs[0];
    const rows = order.map((i) => {
      const e = s.entries[i];
      const r = this.results.get(e.name)!.r;
      const err = Math.hypot(r.halfStepErr, r === ref ? 0 : ref.halfStepErr);
      return [e.name, e.variable, r.e0, r.halfStep, r.halfStep - ref.halfStep, Number.isFinite(err) ? err : null, r.edgeStep];
    });
    const withVar = rows.filter((r) => r[1] !== null);
    await this.figs.shift.draw(
      [{ type: 'scatter', mode: 'lines+markers', x: withVar.map((r) => r[1]), y: withVar.map((r) => r[4]), error_y: { type: 'data', array: withVar.map((r) => r[5] ?? 0), visible: true }, text: withVar.map((r) => r[0]), name: 'ΔE0 ± 1σ (noise)' }],
      { xaxis: { title: { text: s.variableName } }, yaxis: { title: { text: `ΔE0 vs ${ref.name} (eV)` } } },
    );
    this.edgeTable.render({ name: 'edges', columns: ['file', s.variableName, 'E0 max dμ/dE (eV)', 'E0 half step (eV)', 'shift (eV)', 'shift 1σ (eV)', 'edge step'], rows });
  }

  private async runLcf(): Promise<void> {
    const s = this.session.xas;
    const refs = s.entries.filter((e) => e.isReference && this.results.has(e.name)).map((e) => this.results.get(e.name)!.r);
    const targets = s.entries.filter((e) => !e.isReference && this.results.has(e.name));
    if (refs.length === 0 || targets.length === 0) {
      this.figs.lcf.clear();
      this.lcfTable.render({ name: 'lcf', columns: ['file', 'note'], rows: [['—', 'mark at least one spectrum as reference (ref) to fit the others']] });
      return;
    }
    const rows: (string | number | null)[][] = [];
    const selName = s.entries[s.selected]?.name;
    for (const e of targets) {
      const d = this.results.get(e.name)!.r;
      try {
        const r = await this.compute.run('xasLcf', `LCF ${e.name}`, { data: { name: d.name, energy: d.energy, norm: d.norm, e0: d.e0 }, refs: refs.map((x) => ({ name: x.name, energy: x.energy, norm: x.norm })), emin: this.lcfWindow.emin, emax: this.lcfWindow.emax });
        rows.push([e.name, e.variable, ...r.weights.flatMap((w) => [w.value, w.stderr]), r.sum.value, r.rFactor]);
        if (e.name === selName || (targets[0] === e && !targets.some((t) => t.name === selName))) {
          await this.figs.lcf.draw(
            [
              { type: 'scatter', mode: 'markers', x: Array.from(r.x), y: Array.from(r.y), name: `${e.name} (data)`, marker: { size: 4 } },
              { type: 'scatter', mode: 'lines', x: Array.from(r.x), y: Array.from(r.yfit), name: 'fit' },
              { type: 'scatter', mode: 'lines', x: Array.from(r.x), y: Array.from(r.y, (y, i) => y - r.yfit[i]), name: 'residual' },
            ],
            { xaxis: { title: { text: 'Energy (eV)' } }, yaxis: { title: { text: 'normalized μ' } } },
          );
        }
      } catch (err) {
        this.msg.error(`LCF ${e.name}: ${(err as Error).message}`);
      }
    }
    this.lcfTable.render({ name: 'lcf', columns: ['file', s.variableName, ...refs.flatMap((r) => [`w(${r.name})`, `±`]), 'Σw', 'R-factor'], rows });
  }

  private async runShellFit(): Promise<void> {
    const s = this.session.xas;
    const model = this.session.files.find((f) => f.workspace === 'xas' && /\.model\.json$/i.test(f.name));
    const e = s.entries[s.selected];
    if (e?.source) return this.msg.error('shell fit: fit models read whole files; pick a single-spectrum file (Athena groups / SPEC scans are not yet passed to the model)');
    if (!model) return this.msg.error('shell fit: no *.model.json loaded');
    if (!e) return this.msg.error('shell fit: no spectrum selected');
    try {
      const files = this.session.files.filter((f) => f.workspace === 'xas').map((f) => [f.name, f.bytes] as [string, Uint8Array]);
      const r = await this.compute.run('xasShellFit', `shell fit ${e.name}`, { modelName: model.name, modelBytes: model.bytes, dataName: e.name, files });
      await this.figs.fit.draw(
        [
          { type: 'scatter', mode: 'lines', x: Array.from(r.r), y: Array.from(r.chirData), name: `${e.name} data` },
          { type: 'scatter', mode: 'lines', x: Array.from(r.r), y: Array.from(r.chirModel), name: 'model', line: { dash: 'dash' } },
        ],
        { xaxis: { title: { text: 'R (Å)' } }, yaxis: { title: { text: '|χ(R)|' } }, shapes: [{ type: 'rect', xref: 'x', yref: 'paper', x0: r.rmin, x1: r.rmax, y0: 0, y1: 1, fillcolor: 'rgba(0,0,0,0.05)', line: { width: 0 } }] },
      );
      this.fitTable.render({
        name: 'fit',
        columns: ['parameter', 'value', 'stderr', 'varied'],
        rows: [...r.params.map((p) => [p.name, p.value, p.stderr, p.vary]), ['R-factor', r.rFactor, null, null], ['reduced χ²', r.redChi, null, null]],
      });
    } catch (err) {
      this.msg.error(`shell fit ${e.name}: ${(err as Error).message}`);
    }
  }
}
