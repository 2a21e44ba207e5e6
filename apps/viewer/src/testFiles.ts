// Small synthetic input files built in code for the viewer's tests (unit and e2e): an MRC image
// with Gaussian atoms and a continuous-mode imzML map with its .ibd. Nothing from ../shared.

/** MRC2014 float32 image (1024-byte header, little-endian) of Gaussian atoms on a flat background. */
export function makeMrc(opts: { size?: number; pixelNm?: number; atoms?: [number, number][] } = {}): Uint8Array {
  const n = opts.size ?? 96;
  const pixelNm = opts.pixelNm ?? 0.02;
  const atoms = opts.atoms ?? [[20, 20], [70, 25], [30, 70], [60, 66], [72.5, 66]];
  const bytes = new Uint8Array(1024 + n * n * 4);
  const dv = new DataView(bytes.buffer);
  dv.setInt32(0, n, true); // nx
  dv.setInt32(4, n, true); // ny
  dv.setInt32(8, 1, true); // nz
  dv.setInt32(12, 2, true); // mode 2 = float32
  dv.setInt32(28, n, true); // mx
  dv.setInt32(32, n, true);
  dv.setInt32(36, 1, true);
  dv.setFloat32(40, n * pixelNm * 10, true); // cella.x in Å
  dv.setFloat32(44, n * pixelNm * 10, true);
  dv.setFloat32(48, 10, true);
  bytes.set([0x4d, 0x41, 0x50, 0x20], 208); // 'MAP '
  bytes.set([0x44, 0x41, 0, 0], 212); // little-endian machine stamp
  const sigma = 0.03 / pixelNm;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      let v = 10 + ((x * 7 + y * 13) % 5) * 0.2; // deterministic low-level texture
      for (const [ax, ay] of atoms) v += 200 * Math.exp(-((x - ax) ** 2 + (y - ay) ** 2) / (2 * sigma * sigma));
      dv.setFloat32(1024 + (y * n + x) * 4, v, true);
    }
  return bytes;
}

const UUID = '00112233445566778899aabbccddeeff';

/**
 * Continuous-mode imzML (one shared float64 m/z array) of width × height pixels, float64
 * intensities, and its .ibd. Every pixel has a peak at each of `peaks` m/z; the first peak's
 * height rises with x so the ion image has a known gradient: height = 10·x (plus 1 for the others).
 */
export function makeImzml(opts: { width?: number; height?: number; peaks?: number[] } = {}): { imzml: string; ibd: Uint8Array } {
  const width = opts.width ?? 4, height = opts.height ?? 3;
  const peaks = opts.peaks ?? [57.9348, 84.9590, 109.9590];
  // Gaussian peaks (σ = 0.004 u) sampled every 0.001 u within ±0.05 u of each peak.
  const mz: number[] = [];
  for (const p of peaks) for (let d = -50; d <= 50; d++) mz.push(p + d / 1000);
  const shape = (p: number, h: number) => mz.map((m) => h * Math.exp(-((m - p) ** 2) / (2 * 0.004 ** 2)));
  const pixels: { x: number; y: number; it: number[] }[] = [];
  for (let y = 1; y <= height; y++)
    for (let x = 1; x <= width; x++) {
      const it = new Array<number>(mz.length).fill(0);
      peaks.forEach((p, k) => shape(p, k === 0 ? 10 * x : 100 + k).forEach((v, i) => (it[i] += v)));
      pixels.push({ x, y, it: it.map((v) => Math.round(v)) });
    }
  const mzBytes = new Uint8Array(Float64Array.from(mz).buffer);
  const itLen = mz.length * 8;
  const ibd = new Uint8Array(16 + mzBytes.length + pixels.length * itLen);
  ibd.set(UUID.match(/../g)!.map((h) => parseInt(h, 16)), 0);
  ibd.set(mzBytes, 16);
  pixels.forEach((p, k) => ibd.set(new Uint8Array(Float64Array.from(p.it).buffer), 16 + mzBytes.length + k * itLen));
  const arr = (group: string, offset: number, enc: number) =>
    `<binaryDataArray encodedLength="0"><referenceableParamGroupRef ref="${group}"/>` +
    `<cvParam accession="IMS:1000102" name="external offset" value="${offset}"/><cvParam accession="IMS:1000103" name="external array length" value="${mz.length}"/>` +
    `<cvParam accession="IMS:1000104" name="external encoded length" value="${enc}"/><binary/></binaryDataArray>`;
  const group = (id: string, acc: string, name: string) =>
    `<referenceableParamGroup id="${id}"><cvParam accession="${acc}" name="${name}" value=""/>` +
    `<cvParam accession="MS:1000523" name="64-bit float" value=""/><cvParam accession="MS:1000576" name="no compression" value=""/></referenceableParamGroup>`;
  const imzml =
    `<?xml version="1.0" encoding="ISO-8859-1"?><mzML><fileDescription><fileContent>` +
    `<cvParam accession="IMS:1000030" name="continuous" value=""/><cvParam accession="MS:1000130" name="positive scan" value=""/>` +
    `<cvParam accession="IMS:1000080" name="universally unique identifier" value="{${UUID}}"/></fileContent></fileDescription>` +
    `<referenceableParamGroupList>${group('mzArray', 'MS:1000514', 'm/z array')}${group('intensityArray', 'MS:1000515', 'intensity array')}</referenceableParamGroupList>` +
    `<scanSettingsList><scanSettings id="s"><cvParam accession="IMS:1000042" name="max count of pixels x" value="${width}"/>` +
    `<cvParam accession="IMS:1000043" name="max count of pixels y" value="${height}"/></scanSettings></scanSettingsList>` +
    `<run><spectrumList>` +
    pixels
      .map(
        (p, k) =>
          `<spectrum id="p${k}" index="${k}"><scanList><scan><cvParam accession="IMS:1000050" name="position x" value="${p.x}"/>` +
          `<cvParam accession="IMS:1000051" name="position y" value="${p.y}"/></scan></scanList><binaryDataArrayList>` +
          arr('mzArray', 16, mzBytes.length) + arr('intensityArray', 16 + mzBytes.length + k * itLen, itLen) + `</binaryDataArrayList></spectrum>`,
      )
      .join('') +
    `</spectrumList></run></mzML>`;
  return { imzml, ibd };
}
