// Test-only loaders for the plain-column exports under ../shared/data/xas/athena-exported
// (energy, mu, … with '#' comments), kept independent of the io/ readers so the series tests
// do not depend on them.
import { readSharedText } from '../helpers/shared';

export function loadColumns(rel: string): { energy: Float64Array; mu: Float64Array } {
  const rows = readSharedText(rel)
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
    .map((l) => l.trim().split(/\s+/).map(Number));
  return { energy: Float64Array.from(rows.map((r) => r[0])), mu: Float64Array.from(rows.map((r) => r[1])) };
}
