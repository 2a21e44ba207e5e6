// Length units as microscopy software writes them, to nm. Latin-1 "µ" (0xB5), the Greek mu
// (U+03BC), "u", "micron" and "Å" all occur in real files (see rosettasciio's DM/TIFF fixtures).
const UNIT_TO_NM: Record<string, number> = {
  m: 1e9,
  meter: 1e9,
  metre: 1e9,
  mm: 1e6,
  millimeter: 1e6,
  µm: 1e3,
  um: 1e3,
  micron: 1e3,
  microns: 1e3,
  micrometer: 1e3,
  micrometre: 1e3,
  nm: 1,
  nanometer: 1,
  nanometre: 1,
  pm: 1e-3,
  picometer: 1e-3,
  å: 0.1,
  a: 0.1,
  angstrom: 0.1,
  angstroms: 0.1,
};

/** nm per `unit`, or undefined when the unit is not a length (e.g. "pixel", "" or "1/nm"). */
export function unitToNm(unit: string): number | undefined {
  const u = unit
    .trim()
    .replace(/\u03bc/g, 'µ')
    .replace(/\u212b/g, 'å')
    .toLowerCase();
  return UNIT_TO_NM[u];
}

/** Decode bytes as Latin-1 (DM and FEI private tags are not UTF-8), stopping at the first NUL. */
export function latin1(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) break;
    s += String.fromCharCode(bytes[i]);
  }
  return s;
}
