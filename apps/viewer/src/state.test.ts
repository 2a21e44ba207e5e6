import { describe, expect, it } from 'vitest';
import {
  addFile,
  deserializeSession,
  entryFile,
  expandEntry,
  guessMuExpr,
  isAuxXasFile,
  moveSelection,
  newSession,
  pairSegments,
  paramsFor,
  parseVariable,
  parseVariableInput,
  removeFile,
  serializeSession,
  seriesOrder,
  SessionFormatError,
  setParam,
  tableToCsv,
  tableToJson,
  toggleAtom,
  workspaceOf,
  isCompanionFile,
  ibdFor,
} from './state';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('series variable', () => {
  it('reads a potential from the XDI header, OCP through the open-circuit value', () => {
    expect(parseVariable({ 'Sample.electrochemical_potential': '-0.4 V vs RHE' })).toBe(-0.4);
    expect(parseVariable({ 'Sample.electrochemical_potential': 'OCP', 'Sample.open_circuit_potential': '0.82 V vs RHE' })).toBe(0.82);
    expect(parseVariable({ 'Sample.electrochemical_potential': 'OCP' })).toBeNull();
    expect(parseVariable({ 'Sample.name': 'foil' })).toBeNull();
  });
  it('accepts typed numbers, blank as unknown, rejects junk', () => {
    expect(parseVariableInput(' -0.7 ')).toBe(-0.7);
    expect(parseVariableInput('')).toBeNull();
    expect(parseVariableInput('1.2.3')).toBeUndefined();
  });
  it('orders the series by the variable, unknown last, ties in file order', () => {
    const e = (name: string, variable: number | null) => ({ name, variable, params: newSession().xas.shared, isReference: false });
    expect(seriesOrder([e('a', 0.8), e('b', null), e('c', -1), e('d', 0.8)])).toEqual([2, 0, 3, 1]);
  });
});

describe('files and parameters', () => {
  it('routes files to workspaces by extension', () => {
    expect(workspaceOf('cu.xdi')).toBe('xas');
    expect(workspaceOf('a.TIF')).toBe('haadf');
    expect(workspaceOf('s.mzML')).toBe('tofsims');
    expect(workspaceOf('x.exe')).toBeNull();
    for (const n of ['a.mrc', 'b.SER', 'b_1.emi', 'c.emd', 'd.dm4']) expect(workspaceOf(n)).toBe('haadf');
    for (const n of ['m.imzML', 'm.ibd', 'm.IBD']) expect(workspaceOf(n)).toBe('tofsims');
    expect(isCompanionFile('b_1.emi')).toBe(true);
    expect(isCompanionFile('m.ibd')).toBe(true);
    expect(isCompanionFile('b.ser')).toBe(false);
    expect(ibdFor('map.imzML', ['other.ibd', 'map.ibd'])).toBe('map.ibd');
    expect(ibdFor('map.imzml', ['map.IBD'])).toBe('map.IBD');
    expect(ibdFor('map.imzML', ['map2.ibd', 'map.imzML'])).toBeNull();
  });
  it('adds spectra once, keeps models and FEFF paths out of the spectra list, removes cleanly', () => {
    const s = newSession();
    addFile(s, { workspace: 'xas', name: 'a.xdi', bytes: bytes('1') });
    addFile(s, { workspace: 'xas', name: 'a.xdi', bytes: bytes('2') });
    addFile(s, { workspace: 'xas', name: 'cu.model.json', bytes: bytes('{}') });
    addFile(s, { workspace: 'xas', name: 'feff0001.dat', bytes: bytes('x') });
    expect(s.files.length).toBe(3);
    expect(s.files[0].bytes[0]).toBe('2'.charCodeAt(0));
    expect(s.xas.entries.map((e) => e.name)).toEqual(['a.xdi']);
    expect(isAuxXasFile('feff/CuNi/feff0002.dat')).toBe(true);
    s.xas.selected = 0;
    removeFile(s, 'xas', 'a.xdi');
    expect(s.xas.entries).toEqual([]);
    expect(s.files.map((f) => f.name)).toEqual(['cu.model.json', 'feff0001.dat']);
  });
  it('expands a multi-group file into one entry per group; removing the file removes them all', () => {
    const s = newSession();
    addFile(s, { workspace: 'xas', name: 'a.xdi', bytes: bytes('1') });
    addFile(s, { workspace: 'xas', name: 'p.prj', bytes: bytes('1') });
    addFile(s, { workspace: 'xas', name: 'z.xdi', bytes: bytes('1') });
    expandEntry(s, 'p.prj', [{ label: 'Cu foil', group: 'cu_foil' }, { label: 'sample', group: 'sample' }]);
    expect(s.xas.entries.map((e) => e.name)).toEqual(['a.xdi', 'p.prj#Cu foil', 'p.prj#sample', 'z.xdi']);
    expect(s.xas.entries.map(entryFile)).toEqual(['a.xdi', 'p.prj', 'p.prj', 'z.xdi']);
    expect(s.xas.entries[2].part).toEqual({ label: 'sample', group: 'sample' });
    expandEntry(s, 'a.xdi', [{ label: 'only' }]);
    expect(s.xas.entries[0].name).toBe('a.xdi');
    removeFile(s, 'xas', 'p.prj#sample');
    expect(s.xas.entries.map((e) => e.name)).toEqual(['a.xdi', 'p.prj#Cu foil', 'z.xdi']);
    removeFile(s, 'xas', 'p.prj');
    expect(s.xas.entries.map((e) => e.name)).toEqual(['a.xdi', 'z.xdi']);
  });
  it('edits the shared set or one spectrum', () => {
    const s = newSession();
    addFile(s, { workspace: 'xas', name: 'a.xdi', bytes: bytes('1') });
    addFile(s, { workspace: 'xas', name: 'b.xdi', bytes: bytes('1') });
    setParam(s, 0, 'rbkg', 1.2);
    expect(paramsFor(s, 1).rbkg).toBe(1.2);
    s.xas.shareParams = false;
    setParam(s, 1, 'kmax', 10);
    expect(paramsFor(s, 1).kmax).toBe(10);
    expect(paramsFor(s, 0).kmax).toBe(12);
    setParam(s, 1, 'kmax', NaN);
    expect(paramsFor(s, 1).kmax).toBe(10);
    setParam(s, 1, 'norm2', 400);
    setParam(s, 1, 'norm2', undefined);
    expect(paramsFor(s, 1).norm2).toBeUndefined();
  });
  it('guesses μ from raw channels only when the file has no μ column', () => {
    expect(guessMuExpr(['energy', 'i0', 'itrans', 'irefer'])).toBe('ln(i0/itrans)');
    expect(guessMuExpr(['energy', 'i0', 'ifluor'])).toBe('ifluor/i0');
    expect(guessMuExpr(['energy', 'mu', 'i0', 'itrans'])).toBeUndefined();
    expect(guessMuExpr(['energy', 'foo'])).toBeUndefined();
  });
  it('clamps keyboard selection', () => {
    expect(moveSelection(0, -1, 3)).toBe(0);
    expect(moveSelection(2, 1, 3)).toBe(2);
    expect(moveSelection(1, 1, 3)).toBe(2);
    expect(moveSelection(5, 1, 0)).toBe(0);
  });
});

describe('atoms', () => {
  const atoms = [
    { x: 10, y: 10 },
    { x: 20, y: 10 },
  ];
  it('a click near an atom removes the nearest one, elsewhere adds one; the input is untouched', () => {
    const r1 = toggleAtom(atoms, { x: 18.5, y: 11 }, 3);
    expect(r1.action).toBe('removed');
    expect(r1.atoms).toEqual([{ x: 10, y: 10 }]);
    const r2 = toggleAtom(atoms, { x: 15, y: 15 }, 3);
    expect(r2.action).toBe('added');
    expect(r2.atoms.length).toBe(3);
    expect(atoms.length).toBe(2);
    expect(toggleAtom([], { x: 1, y: 1 }, 3).action).toBe('added');
  });
  it('draws a segment for pair sites only', () => {
    expect(pairSegments([{ type: 'single', atoms: [0] }, { type: 'pair', atoms: [1, 3] }, { type: 'multimer', atoms: [2, 4, 5] }])).toEqual([[1, 3]]);
  });
});

describe('tables', () => {
  const t = { name: 't', columns: ['name', 'value'], rows: [['a,"b"', 1.5], ['c', NaN], ['d', null]] };
  it('CSV quotes separators and leaves non-finite cells empty', () => {
    expect(tableToCsv(t)).toBe('name,value\n"a,""b""",1.5\nc,\nd,\n');
  });
  it('JSON gives one object per row, NaN as null', () => {
    expect(JSON.parse(tableToJson(t))).toEqual([{ name: 'a,"b"', value: 1.5 }, { name: 'c', value: null }, { name: 'd', value: null }]);
  });
});

describe('session file', () => {
  it('round-trips files (binary included) and parameters', () => {
    const s = newSession();
    const bin = new Uint8Array(70_000).map((_, i) => (i * 7) & 255);
    addFile(s, { workspace: 'haadf', name: 'img.tif', bytes: bin });
    addFile(s, { workspace: 'xas', name: 'a.xdi', bytes: bytes('# XDI') });
    s.xas.entries[0].variable = -0.4;
    s.xas.entries[0].isReference = true;
    s.xas.shared.kmax = 11;
    s.haadf.atoms['img.tif'] = [{ x: 1.5, y: 2 }];
    s.tofsims.fragments.push('CN-');
    const back = deserializeSession(serializeSession(s));
    expect(back.files.map((f) => f.name)).toEqual(['img.tif', 'a.xdi']);
    expect(Array.from(back.files[0].bytes)).toEqual(Array.from(bin));
    expect(back.xas.entries[0]).toMatchObject({ variable: -0.4, isReference: true });
    expect(back.xas.shared.kmax).toBe(11);
    expect(back.haadf.atoms['img.tif']).toEqual([{ x: 1.5, y: 2 }]);
    expect(back.tofsims.fragments).toContain('CN-');
  });
  it('rejects files that are not sessions with a message', () => {
    expect(() => deserializeSession('{not json')).toThrow(SessionFormatError);
    expect(() => deserializeSession('{"format":"x"}')).toThrow(/not a siteproof viewer session/);
    expect(() => deserializeSession('{"format":"siteproof-viewer-session","version":1,"files":[{"name":"a"}]}')).toThrow(/files\[0\]/);
  });
});
