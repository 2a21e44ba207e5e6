// results.json (everything, machine-readable) and the files of the report folder.
import * as path from 'node:path';
import { writeFileAtomic } from '../io';
import { buildFigures, type Figure } from './figures';
import { buildHtml, specJson } from './html';
import type { ReportData } from './pipeline';
import { buildTables, toCsv, type Table } from './tables';

export function resultsDocument(r: ReportData, figures: Figure[], tables: Table[]): Record<string, unknown> {
  return {
    siteproof: { version: r.version, node: process.version, generated: r.generated },
    input: r.dir,
    configSource: r.configSource,
    options: r.config,
    files: r.files,
    xas: {
      variable: { name: r.config.xas.variable.name, unit: r.config.xas.variable.unit },
      members: r.xas.members.map((m) => ({
        file: m.file,
        variable: m.variable,
        muExpr: m.out.muExpr,
        referenceUsed: m.out.referenceUsed,
        edge: m.out.edge,
        reference: m.out.reference ?? null,
        e0MinusFoil: m.out.reference ? m.e0Rel : null,
        e0Shift: m.e0Shift,
        e0ShiftErr: m.e0ShiftErr,
        edgeStep: m.out.edgeStep,
        whiteLine: m.out.whiteLine,
        warnings: m.out.warnings,
      })),
      fits: r.xas.fits.map((f) => ({ model: f.model, file: r.xas.members[f.member].file, variable: r.xas.members[f.member].variable, ...f.out.summary, paths: f.out.paths.map((p) => ({ label: p.label, reff: p.reff, r: p.r })) })),
      wavelet: r.xas.waveletMember !== null && r.xas.members[r.xas.waveletMember].out.wavelet ? { file: r.xas.members[r.xas.waveletMember].file, kind: r.xas.members[r.xas.waveletMember].out.wavelet!.kind } : null,
      warnings: r.xas.warnings,
    },
    tofsims: {
      windowFragment: r.tofsims.windowFragment,
      window: r.tofsims.window,
      spectra: r.tofsims.spectra.map((s) => ({ file: s.file, role: s.role, calibration: s.out.calibration, totalCounts: s.out.totalCounts, nPeaks: s.out.nPeaks, matches: s.out.matches, warnings: s.out.warnings })),
    },
    haadf: {
      images: r.haadf.images.map((im) => ({ file: im.file, width: im.out.width, height: im.out.height, pixelNm: im.out.pixelNm, nAtoms: im.out.atoms.length, detection: { description: im.out.detection, settings: im.out.settings, auto: im.out.auto }, statistics: im.out.stats, warnings: im.out.warnings })),
    },
    verdict: r.verdict === null ? null : 'error' in r.verdict ? { error: r.verdict.error } : r.verdict.document,
    figures: figures.map((f) => ({ id: f.id, section: f.section, title: f.title, traces: f.data.length })),
    tables: tables.map((t) => ({ id: t.id, file: t.file, title: t.title, columns: t.columns, rows: t.rows.length })),
    timings: r.timings,
  };
}

/** Write report.html, results.json and the CSV tables into outDir; never over an input file. */
export async function writeReport(r: ReportData, outDir: string, inputs: string[]): Promise<{ files: string[]; figures: Figure[]; tables: Table[] }> {
  const figures = buildFigures(r);
  const tables = buildTables(r);
  const results = resultsDocument(r, figures, tables);
  const written: string[] = [];
  const put = async (name: string, data: string) => {
    const p = path.join(outDir, name);
    await writeFileAtomic(p, data, inputs);
    written.push(p);
  };
  for (const t of tables) await put(t.file, toCsv(t));
  await put('results.json', specJson(results) + '\n');
  await put('report.html', buildHtml(r, figures, tables, results));
  return { files: written, figures, tables };
}
