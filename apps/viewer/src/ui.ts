// Small DOM helpers shared by the workspaces: elements, figures with PNG/SVG export, tables with
// CSV/JSON export, downloads and the per-workspace message area.
import { Plotly } from './plotlyGlobal';
import { tableToCsv, tableToJson, type Table } from './state';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

export function download(filename: string, content: string | Blob, mime = 'text/plain'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type: mime }) : content;
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const safe = (s: string) => s.replace(/[^\w.-]+/g, '_');

/** A figure: a titled box with PNG/SVG export buttons around a Plotly div. */
export class Figure {
  readonly root: HTMLElement;
  readonly plot: HTMLDivElement;
  private drawn = false;
  constructor(parent: HTMLElement, readonly id: string, title: string) {
    this.plot = el('div', { class: 'plot', id: `plot-${id}` });
    const png = el('button', { type: 'button', class: 'export', 'data-export': `${id}-png`, text: 'PNG' });
    const svg = el('button', { type: 'button', class: 'export', 'data-export': `${id}-svg`, text: 'SVG' });
    png.onclick = () => this.exportImage('png');
    svg.onclick = () => this.exportImage('svg');
    this.root = el('section', { class: 'figure', id: `fig-${id}` }, el('header', {}, el('h3', { text: title }), png, svg), this.plot);
    parent.append(this.root);
  }
  async draw(data: unknown[], layout: Record<string, unknown> = {}): Promise<void> {
    const l = { margin: { l: 60, r: 20, t: 10, b: 45 }, height: 300, autosize: true, legend: { font: { size: 10 } }, ...layout };
    await Plotly.react(this.plot, data, l, { responsive: true, displaylogo: false, scrollZoom: true });
    this.drawn = true;
    this.root.dataset.traces = String(data.length);
  }
  clear(): void {
    if (this.drawn) Plotly.purge(this.plot);
    this.drawn = false;
    this.root.dataset.traces = '0';
  }
  exportImage(format: 'png' | 'svg'): void {
    if (!this.drawn) return;
    void Plotly.downloadImage(this.plot, { format, filename: safe(`siteproof-${this.id}`), width: 1000, height: 600 });
  }
}

/** A table with CSV/JSON export buttons; rows may carry a click handler (selection). */
export class TableView {
  readonly root: HTMLElement;
  private body: HTMLElement;
  private table: Table = { name: '', columns: [], rows: [] };
  constructor(parent: HTMLElement, readonly id: string, title: string) {
    const csv = el('button', { type: 'button', class: 'export', 'data-export': `${id}-csv`, text: 'CSV' });
    const json = el('button', { type: 'button', class: 'export', 'data-export': `${id}-json`, text: 'JSON' });
    csv.onclick = () => download(`siteproof-${safe(this.id)}.csv`, tableToCsv(this.table), 'text/csv');
    json.onclick = () => download(`siteproof-${safe(this.id)}.json`, tableToJson(this.table), 'application/json');
    this.body = el('div', { class: 'table-body' });
    this.root = el('section', { class: 'table', id: `table-${id}` }, el('header', {}, el('h3', { text: title }), csv, json), this.body);
    parent.append(this.root);
  }
  render(t: Table, fmt: (v: unknown, col: number) => string = defaultFmt): void {
    this.table = t;
    const thead = el('thead', {}, el('tr', {}, ...t.columns.map((c) => el('th', { text: c }))));
    const tbody = el('tbody', {}, ...t.rows.map((r) => el('tr', {}, ...r.map((v, i) => el('td', { text: fmt(v, i) })))));
    this.body.replaceChildren(el('table', {}, thead, tbody));
  }
}

export function defaultFmt(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toPrecision(5)) : '—';
  return String(v);
}

/** Messages of one workspace: errors stay until dismissed; the rest of the page keeps working. */
export class Messages {
  constructor(readonly root: HTMLElement) {}
  error(text: string): void {
    this.add(text, 'error');
  }
  info(text: string): void {
    this.add(text, 'info');
  }
  /** Non-fatal findings of one file, folded so they do not push the figures off the screen. */
  warnings(file: string, lines: string[]): void {
    if (lines.length === 0) return;
    const close = el('button', { type: 'button', 'aria-label': 'dismiss', text: '×' });
    const d = el('details', {}, el('summary', { text: `${file}: ${lines.length} note${lines.length > 1 ? 's' : ''} from the analysis` }), el('ul', {}, ...lines.map((l) => el('li', { text: l }))));
    const m = el('div', { class: 'message info', role: 'status' }, d, close);
    close.onclick = () => m.remove();
    this.root.append(m);
  }
  private add(text: string, kind: string): void {
    const close = el('button', { type: 'button', 'aria-label': 'dismiss', text: '×' });
    const m = el('div', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, el('span', { text }), close);
    close.onclick = () => m.remove();
    this.root.append(m);
  }
  clear(): void {
    this.root.replaceChildren();
  }
}

export function numberInput(label: string, value: number | undefined, onChange: (v: number | undefined) => void, attrs: Record<string, string> = {}): HTMLLabelElement {
  const input = el('input', { type: 'number', step: 'any', value: value === undefined ? '' : String(value), ...attrs });
  input.onchange = () => {
    const t = input.value.trim();
    onChange(t === '' ? undefined : Number(t));
  };
  return el('label', {}, `${label} `, input);
}

export async function readFileBytes(f: File): Promise<Uint8Array> {
  return new Uint8Array(await f.arrayBuffer());
}
