// Web Worker: runs the package computations off the page's thread. Messages: {id, op, args};
// replies {id, ok, value} or {id, ok: false, error, kind} with the typed error's message.
import { SiteproofError } from '@siteproof/core';
import { haadfLoad, haadfProfile, haadfStats, tofsimsImzml, tofsimsIonImage, tofsimsSpectrum, xasLcf, xasParts, xasShellFit, xasSpectrum } from './compute';

const ops = { xasParts, xasSpectrum, xasLcf, xasShellFit, tofsimsSpectrum, tofsimsImzml, tofsimsIonImage, haadfLoad, haadfStats, haadfProfile } as const;
export type Ops = typeof ops;

self.onmessage = async (ev: MessageEvent<{ id: number; op: keyof Ops; args: unknown[] }>) => {
  const { id, op, args } = ev.data;
  try {
    const fn = ops[op] as (...a: unknown[]) => unknown;
    // Some operations are async (EMD through h5wasm): await every result.
    const value = await fn(...args);
    self.postMessage({ id, ok: true, value });
  } catch (e) {
    const kind = e instanceof SiteproofError ? e.kind : 'internal';
    self.postMessage({ id, ok: false, kind, error: e instanceof Error ? e.message : String(e) });
  }
};
