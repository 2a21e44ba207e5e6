// Plotly is loaded by a classic <script> (index.html; vite.config.ts copies plotly.js-dist's file):
// this module hands the global to the rest of the app with the declared types.
import type PlotlyType from 'plotly.js-dist';

export const Plotly = (globalThis as unknown as { Plotly: typeof PlotlyType }).Plotly;
