// Deterministic HAADF-STEM image of metal single atoms and atom pairs on a carbon support,
// written as a calibrated (ImageJ unit=nm) 16-bit TIFF with the stem-stats writer.
// Sites are placed by Poisson-disk sampling (no two sites closer than 1 nm, as on a support with
// sparse anchoring points); a fixed fraction of sites hold a pair 0.25 ± 0.015 nm apart. Each
// atom is a Gaussian probe image (σ = 0.045 nm) on a smoothly varying support with a
// low-frequency texture, and every pixel gets Poisson counting noise.
import { mulberry32, writeTiff } from '@siteproof/stem-stats';

export interface HaadfTruth {
  pixelNm: number;
  width: number;
  height: number;
  nSites: number;
  nPairs: number;
  nSingles: number;
  pairSiteFraction: number;
  pairSpacingNm: { mean: number; sd: number };
  atoms: { xNm: number; yNm: number; site: number; type: 'single' | 'pair' }[];
}

export function generateHaadf(seed = 5): { name: string; bytes: Uint8Array; truth: HaadfTruth } {
  const W = 512;
  const H = 512;
  const px = 0.025;
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-300))) * Math.cos(2 * Math.PI * rand());
  const margin = 0.4;
  const sites: [number, number][] = [];
  for (let tries = 0; tries < 20000 && sites.length < 75; tries++) {
    const x = margin + rand() * (W * px - 2 * margin);
    const y = margin + rand() * (H * px - 2 * margin);
    if (sites.every(([a, b]) => Math.hypot(a - x, b - y) >= 1.0)) sites.push([x, y]);
  }
  const pairFraction = 0.4;
  const atoms: HaadfTruth['atoms'] = [];
  const spacings: number[] = [];
  let nPairs = 0;
  sites.forEach(([x, y], s) => {
    if (rand() < pairFraction) {
      const d = 0.25 + 0.015 * gauss();
      const th = rand() * Math.PI;
      spacings.push(d);
      nPairs++;
      atoms.push({ xNm: x - (d / 2) * Math.cos(th), yNm: y - (d / 2) * Math.sin(th), site: s, type: 'pair' });
      atoms.push({ xNm: x + (d / 2) * Math.cos(th), yNm: y + (d / 2) * Math.sin(th), site: s, type: 'pair' });
    } else atoms.push({ xNm: x, yNm: y, site: s, type: 'single' });
  });
  // Support: a smooth gradient plus a few broad blobs (thickness variation of the carbon film).
  const blobs = Array.from({ length: 8 }, () => ({ x: rand() * W, y: rand() * H, s: 70 + rand() * 60, a: 60 + rand() * 100 }));
  const sigmaPx = 0.045 / px;
  const img = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let v = 900 + 0.25 * x + 0.15 * y;
      for (const b of blobs) v += b.a * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.s * b.s));
      img[y * W + x] = v;
    }
  }
  for (const a of atoms) {
    const cx = a.xNm / px;
    const cy = a.yNm / px;
    const amp = 420 * (1 + 0.1 * gauss());
    const r = Math.ceil(4 * sigmaPx);
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(H - 1, Math.ceil(cy + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(W - 1, Math.ceil(cx + r)); x++) {
        img[y * W + x] += amp * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigmaPx * sigmaPx));
      }
    }
  }
  const counts = new Uint16Array(W * H);
  for (let i = 0; i < img.length; i++) counts[i] = Math.max(0, Math.min(65535, Math.round(img[i] + Math.sqrt(img[i]) * gauss())));
  const mean = spacings.reduce((s, d) => s + d, 0) / Math.max(1, spacings.length);
  const sd = Math.sqrt(spacings.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(1, spacings.length - 1));
  return {
    name: 'haadf_cu_ni_nc.tif',
    bytes: writeTiff(counts, W, H, { type: 'uint16', pixelNm: px }),
    truth: {
      pixelNm: px,
      width: W,
      height: H,
      nSites: sites.length,
      nPairs,
      nSingles: sites.length - nPairs,
      pairSiteFraction: nPairs / sites.length,
      pairSpacingNm: { mean, sd },
      atoms,
    },
  };
}
