// Entry point: three workspaces (XAS, ToF-SIMS, HAADF), drag-and-drop / file picker per workspace,
// a busy indicator fed by the worker client, and session save/load.
import { Compute } from './client';
import { HaadfView } from './haadfView';
import { addFile, deserializeSession, newSession, removeFile, serializeSession, type Session, type Workspace } from './state';
import { TofsimsView } from './tofsimsView';
import { Messages, download, el, readFileBytes } from './ui';
import { XasView } from './xasView';

const WORKSPACES: { id: Workspace; accept: string; hint: string }[] = [
  { id: 'xas', accept: '.xdi,.xmu,.dat,.txt,.prj,.spec,.json,*', hint: 'XDI, ASCII columns, SPEC, Athena .prj; shell fit: *.model.json + feffNNNN.dat' },
  { id: 'tofsims', accept: '.txt,.csv,.tsv,.mzML,.imzML,.ibd,*', hint: 'IONTOF/SurfaceLab ASCII spectra (channel, m/z, counts), mzML, imzML maps (open the .imzML with its .ibd)' },
  { id: 'haadf', accept: '.tif,.tiff,.dm3,.dm4,.mrc,.ser,.emi,.emd', hint: 'TIFF, DM3/DM4, MRC, TIA SER (+EMI), Velox/NCEM EMD images' },
];

let session: Session = newSession();
const busyBox = document.getElementById('busy')!;
const busyText = document.getElementById('busy-text')!;
const compute = new Compute((labels) => {
  busyBox.hidden = labels.length === 0;
  busyText.textContent = labels.length ? `working: ${labels[0]}${labels.length > 1 ? ` (+${labels.length - 1})` : ''}` : '';
  document.body.dataset.busy = String(labels.length);
});

const container = document.getElementById('workspaces')!;
const sections = {} as Record<Workspace, HTMLElement>;
const messages = {} as Record<Workspace, Messages>;
let views: { xas: XasView; tofsims: TofsimsView; haadf: HaadfView };

function refresh(ws: Workspace): Promise<void> {
  return views[ws].refresh();
}

async function addFiles(ws: Workspace, files: File[] | FileList): Promise<void> {
  for (const f of Array.from(files)) {
    const bytes = await readFileBytes(f);
    if (bytes.length === 0) {
      messages[ws].error(`${f.name}: the file is empty`);
      continue;
    }
    addFile(session, { workspace: ws, name: f.name, bytes });
  }
  if (ws === 'xas') views.xas.renderList();
  await refresh(ws);
}

function build(): void {
  container.replaceChildren();
  for (const w of WORKSPACES) {
    const input = el('input', { type: 'file', multiple: '', id: `file-${w.id}`, 'aria-label': `open ${w.id} files` });
    input.onchange = () => {
      if (input.files) void addFiles(w.id, input.files).finally(() => (input.value = ''));
    };
    const drop = el('div', { class: 'dropzone', id: `drop-${w.id}` }, el('label', { class: 'filebtn' }, 'Open files…', input), el('span', { class: 'hint', text: `or drop files here — ${w.hint}` }));
    const msgs = el('div', { class: 'messages', id: `msg-${w.id}` });
    const sec = el('section', { class: 'workspace', id: `ws-${w.id}`, role: 'tabpanel', 'aria-labelledby': `tab-${w.id}` }, drop, msgs);
    sec.ondragover = (e) => {
      e.preventDefault();
      drop.classList.add('over');
    };
    sec.ondragleave = () => drop.classList.remove('over');
    sec.ondrop = (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      if (e.dataTransfer?.files.length) void addFiles(w.id, e.dataTransfer.files);
    };
    sections[w.id] = sec;
    messages[w.id] = new Messages(msgs);
    container.append(sec);
  }
  views = {
    xas: new XasView(sections.xas, session, compute, messages.xas),
    tofsims: new TofsimsView(sections.tofsims, session, compute, messages.tofsims),
    haadf: new HaadfView(sections.haadf, session, compute, messages.haadf),
  };
  for (const w of WORKSPACES) {
    views[w.id].onRemove = (name) => {
      removeFile(session, w.id, name);
      if (w.id === 'xas') views.xas.renderList();
      void refresh(w.id);
    };
  }
}

function showWorkspace(ws: Workspace): void {
  for (const w of WORKSPACES) {
    sections[w.id].hidden = w.id !== ws;
    document.getElementById(`tab-${w.id}`)!.setAttribute('aria-selected', String(w.id === ws));
  }
  // Plotly sizes hidden plots at zero width: resize the visible ones.
  window.dispatchEvent(new Event('resize'));
}

document.querySelectorAll<HTMLButtonElement>('nav [role=tab]').forEach((b) => (b.onclick = () => showWorkspace(b.dataset.ws as Workspace)));
document.addEventListener('keydown', (e) => {
  if (e.altKey && ['1', '2', '3'].includes(e.key)) {
    e.preventDefault();
    showWorkspace(WORKSPACES[Number(e.key) - 1].id);
  }
});
// Files dropped outside a workspace must not navigate away from the page.
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => e.preventDefault());

document.getElementById('session-save')!.onclick = () => download('siteproof-session.json', serializeSession(session), 'application/json');
const sessionInput = document.getElementById('session-load') as HTMLInputElement;
sessionInput.onchange = async () => {
  const f = sessionInput.files?.[0];
  sessionInput.value = '';
  if (!f) return;
  try {
    const s = deserializeSession(await f.text());
    session = s;
    build();
    showWorkspace('xas');
    await Promise.all([refresh('xas'), refresh('tofsims'), refresh('haadf')]);
  } catch (err) {
    messages.xas.error(`${f.name}: ${(err as Error).message}`);
  }
};

build();
showWorkspace('xas');
document.body.dataset.ready = '1';
