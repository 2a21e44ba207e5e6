// SPEC multi-scan files and Athena projects (Perl and JSON flavours, gzipped or plain).
// The Perl flavour is parsed as data: code in a project is never run.
import { expect, it, describe } from 'vitest';
import { gzipSync } from 'node:zlib';
import { isSiteproofError, ParseError, ValidationError } from '@siteproof/core';
import { listSpecScans, readSpec, readColumnFile, readAthenaProject, loadSpectrum } from '@siteproof/xas';
import { describeShared, itShared, listSharedFiles, readSharedBytes, hasShared } from '../helpers/shared';

function specText(): string {
  const scan = (n: number, e0: number, cmd: string) => {
    const rows: string[] = [];
    for (let i = 0; i < 20; i++) {
      const e = e0 + i * 2;
      const i0 = 1e5 + i;
      const it = i0 * Math.exp(-(1 + (e > e0 + 20 ? 1 : 0)));
      rows.push(`${e.toFixed(2)} ${i0.toFixed(1)} ${it.toFixed(4)} ${(0.5 + i).toFixed(1)}`);
    }
    return [`#S ${n}  ${cmd}`, '#D Sun Nov 22 10:00:00 2026', '#T 1  (Seconds)', '#N 4', '#L Energy  I0  It  Det Fluo', ...rows, ''].join('\n');
  };
  return ['#F test.spec', '#E 1700000000', '#D Sun Nov 22 09:59:00 2026', '#O0 mono  sample_x', '', scan(1, 8900, 'escan 8900 8938 19 1'), scan(2, 8950, 'escan 8950 8988 19 1'), scan(2, 9000, 'escan 9000 9038 19 1')].join('\n');
}

describe('SPEC multi-scan', () => {
  const text = specText();
  it('lists scans with numbers, repeated numbers as n.m, commands, labels and lengths', () => {
    const scans = listSpecScans(text, 'test.spec');
    expect(scans.map((s) => s.key)).toEqual(['1', '2', '2.2']);
    expect(scans[1].command).toBe('escan 8950 8988 19 1');
    expect(scans[0].labels).toEqual(['energy', 'i0', 'it', 'det_fluo']);
    expect(scans.map((s) => s.npts)).toEqual([20, 20, 20]);
  });
  it('selects a scan by number (and n.m) and reads its columns', () => {
    const d = readSpec(text, 'test.spec', { scan: 2 });
    expect(d.format).toBe('spec');
    expect(d.columns[0][0]).toBe(8950);
    expect(readSpec(text, 'test.spec', { scan: '2.2' }).columns[0][0]).toBe(9000);
    const viaSniff = readColumnFile(new TextEncoder().encode(text), 'test.spec', { scan: '2.2' });
    expect(viaSniff.columns[0][19]).toBe(9038);
    expect(viaSniff.rowLines?.[0]).toBeGreaterThan(40);
  });
  it('default: the first scan, with a warning that there are more', () => {
    const d = readSpec(text, 'test.spec');
    expect(d.columns[0][0]).toBe(8900);
    expect(d.warnings.join()).toMatch(/3 scans/);
  });
  it('unknown scan → ValidationError listing the scans', () => {
    expect(() => readSpec(text, 'test.spec', { scan: 7 })).toThrow(ValidationError);
    expect(() => readSpec(text, 'test.spec', { scan: 7 })).toThrow(/1, 2, 2\.2/);
  });
  it('mu from a SPEC scan by expression', () => {
    const s = loadSpectrum(text, 'test.spec', { scan: 1, mu: 'ln(i0/it)' });
    expect(s.mu[0]).toBeCloseTo(1, 4);
    expect(s.mu[19]).toBeCloseTo(2, 4);
  });
});

describeShared('Athena projects', () => {
  itShared('Perl flavour (gzipped): fe_athena.prj groups, names, arrays and args', () => {
    const p = readAthenaProject(readSharedBytes('data/xas/xafsdata/fe_athena.prj'), 'fe_athena.prj');
    expect(p.flavour).toBe('perl');
    expect(p.groups.map((g) => g.label)).toEqual(['fe2o3_rt1.xmu', 'fe3c_rt.xdi', 'feo_rt1.xmu']);
    // Larch names groups with fix_varname(label)
    expect(p.groups.map((g) => g.name)).toEqual(['fe2o3_rt1_xmu', 'fe3c_rt_xdi', 'feo_rt1_xmu']);
    expect(p.groups.map((g) => g.x.length)).toEqual([412, 348, 412]);
    for (const g of p.groups) expect(g.y.length).toBe(g.x.length);
    const fe3c = p.groups[1];
    expect(fe3c.id).toBe('ybpnr');
    expect(fe3c.args.npts).toBe(348);
    expect(fe3c.args.bkg_e0).toBe('7122.5');
    expect(fe3c.x[0]).toBe(6962);
    expect(fe3c.y[0]).toBeCloseTo(-0.069530319, 12);
  });
  itShared('Perl flavour: Fe.prj group labels with spaces (Larch name Fe_foil)', () => {
    const p = readAthenaProject(readSharedBytes('data/xas/xafsdata/AthenaProjectFiles/Fe.prj'), 'Fe.prj');
    expect(p.groups.map((g) => g.name)).toEqual(['Fe_foil', 'Ferrihydrite', 'Goerthite', 'Hematite', 'Lepidocrocite']);
    expect(p.groups.map((g) => g.x.length)).toEqual([511, 346, 429, 2404, 387]);
  });
  itShared('JSON flavour (plain): json_unzipped.prj', () => {
    const p = readAthenaProject(readSharedBytes('data/xas/xafsdata/AthenaProjectFiles/json_unzipped.prj'), 'json_unzipped.prj');
    expect(p.flavour).toBe('json');
    expect(p.groups.length).toBe(4);
    const g = p.groups[0];
    expect(g.id).toBe('qsekm');
    expect(g.x.length).toBe(Number(g.args.npts));
    expect(g.y.length).toBe(g.x.length);
    expect(p.header[0]).toContain('Athena project file');
  });
  itShared('JSON flavour gzipped gives the same groups as plain', () => {
    const plain = readSharedBytes('data/xas/xafsdata/AthenaProjectFiles/json_unzipped.prj');
    const a = readAthenaProject(plain, 'p.prj');
    const b = readAthenaProject(new Uint8Array(gzipSync(plain)), 'p.prj.gz');
    expect(b.groups.map((g) => [g.name, g.x.length])).toEqual(a.groups.map((g) => [g.name, g.x.length]));
  });
  itShared('every shared .prj reads (all groups with equal-length x and y)', () => {
    const files = hasShared() ? listSharedFiles('data/xas/xafsdata', (f) => f.endsWith('.prj')) : [];
    expect(files.length).toBeGreaterThan(70);
    for (const f of files) {
      const p = readAthenaProject(readSharedBytes(f), f);
      expect(p.groups.length, f).toBeGreaterThan(0);
      for (const g of p.groups) expect(g.y.length, `${f} ${g.label}`).toBe(g.x.length);
    }
  });
  itShared('danger.prj: `@journal = system("hephaestus")` is not run; the data groups still read', () => {
    const p = readAthenaProject(readSharedBytes('data/xas/xafsdata/AthenaProjectFiles/danger.prj'), 'danger.prj');
    expect(p.groups.length).toBeGreaterThan(0);
    expect(p.warnings.join('\n')).toMatch(/danger\.prj:\d+.*system.*never run/);
  });
  itShared('loadSpectrum on a project: group selection by label, mu = y', () => {
    const bytes = readSharedBytes('data/xas/xafsdata/fe_athena.prj');
    const s = loadSpectrum(bytes, 'fe_athena.prj', { group: 'fe3c_rt.xdi' });
    expect(s.name).toBe('fe3c_rt.xdi');
    expect(s.energy.length).toBe(348);
    expect(() => loadSpectrum(bytes, 'fe_athena.prj', { group: 'nope' })).toThrow(/fe2o3_rt1\.xmu/);
  });
});

describe('Athena Perl code is data or refused, never executed', () => {
  const head = '# Athena project file -- Demeter version 0.9.26\n\n';
  const grp = "$old_group = 'abc';\n@args = ('label','s1','npts',3);\n@x = ('1','2','3');\n@y = ('0.1','0.2','0.3');\n[record]\n";
  it('system("rm -rf /") as an array value is refused with a ParseError naming the line', () => {
    const text = `${head}$old_group = 'abc';\n@args = ('label','s1');\n@x = system("rm -rf /");\n@y = ('1');\n[record]\n1;\n`;
    let err: unknown;
    try {
      readAthenaProject(text, 'evil.prj');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).location).toMatchObject({ file: 'evil.prj', line: 5 });
    expect((err as Error).message).toMatch(/never run/);
  });
  it('a bare statement `system("rm -rf /");` is ignored with a warning; the data is read', () => {
    const p = readAthenaProject(`${head}${grp}system("rm -rf /");\n\`rm -rf /\`;\n1;\n`, 'evil2.prj');
    expect(p.groups[0].label).toBe('s1');
    expect(p.groups[0].x).toEqual(new Float64Array([1, 2, 3]));
    expect(p.warnings.length).toBe(2);
  });
  it('string interpolation and escapes stay text', () => {
    const evilLabel = `'label',"caf\\x{e9} @{[ system(1) ]} $x"`;
    const p = readAthenaProject(`${head}${grp.replace("'label','s1'", evilLabel)}1;\n`, 'e3.prj');
    expect(p.groups[0].label).toBe('café @{[ system(1) ]} $x');
  });
  it('truncated or malformed literal → typed error, not a crash', () => {
    for (const bad of ["@x = ('1','2';\n", "@x = ('1',\n", "$old_group = 'abc\n"]) {
      try {
        readAthenaProject(`${head}${bad}`, 'bad.prj');
      } catch (e) {
        expect(isSiteproofError(e)).toBe(true);
      }
    }
  });
});
