import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig, type Plugin } from 'vite';

// plotly.js-dist is an 11 MB UMD bundle: parsing and minifying it again made every build take
// minutes on a loaded machine. It is served/copied as-is and loaded by a classic <script> tag
// (window.Plotly, see src/plotlyGlobal.ts) — same library, same version, built once by Plotly.
const plotlyPath = createRequire(import.meta.url).resolve('plotly.js-dist/plotly.js');
const PLOTLY_FILE = 'plotly.js';

function plotlyAsset(): Plugin {
  return {
    name: 'siteproof-plotly-asset',
    configureServer(server) {
      server.middlewares.use(`/${PLOTLY_FILE}`, (_req, res) => {
        res.setHeader('content-type', 'text/javascript');
        createReadStream(plotlyPath).pipe(res);
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: PLOTLY_FILE, source: readFileSync(plotlyPath) });
    },
  };
}

// Relative base so the static build works from any folder of any static host.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [plotlyAsset()],
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 8000, target: 'es2022', reportCompressedSize: false },
});
