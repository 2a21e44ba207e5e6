// The one-line account of how atoms were detected (measured scales and the settings they gave),
// shared by the CLI's human output, the HTML report and the viewer so all three say the same.
import type { AtomMap } from './findAtoms';

/** One line describing what the auto scales measured and chose (human output). */
export function describeDetection(map: AtomMap): string {
  const a = map.auto;
  const s = map.settings;
  if (!a) return `scales: fixed (smoothing ${fmt(s.smoothSigmaNm)} nm, min separation ${fmt(s.minSeparationNm)} nm, k ${fmt(s.kSigma)})`;
  if (!a.ok) return `auto scales: not measured (${a.reason}); fixed defaults used`;
  const px = (nm: number) => fmt(nm / map.pixelNm);
  return (
    `auto scales: atom σ ${fmt(a.atomSigmaNm!)} nm (${fmt(a.atomSigmaPx!)} px, ${a.nPeaks} peaks), noise correlation ${fmt(a.noiseCorrelationPx!)} px` +
    ` → smoothing ${fmt(s.smoothSigmaNm)} nm (${px(s.smoothSigmaNm)} px), min separation ${fmt(s.minSeparationNm)} nm, k ${fmt(s.kSigma)},` +
    ` background ${fmt(s.backgroundSigmaNm)} nm, centroid r ${fmt(s.centroidRadiusNm)} nm` +
    (a.kept.length ? ` (kept as given: ${a.kept.join(', ')})` : '')
  );
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(3)));
}
