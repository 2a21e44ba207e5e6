// Progress on the terminal: one bar per stage on stderr, redrawn in place. Silent when stderr is
// not a terminal or with --quiet (then only the final summary is printed by the command).
export interface Progress {
  stage(name: string, total: number): void;
  tick(n?: number): void;
  done(): void;
}

export function makeProgress(enabled: boolean, write: (s: string) => void, columns = 80): Progress {
  let name = '';
  let total = 0;
  let count = 0;
  let start = 0;
  let active = false;
  const draw = (final: boolean) => {
    if (!enabled || !active) return;
    const width = Math.max(10, Math.min(30, columns - 50));
    const f = total > 0 ? Math.min(1, count / total) : 1;
    const filled = Math.round(f * width);
    const secs = ((Date.now() - start) / 1000).toFixed(1);
    write(`\r${name.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(count).padStart(3)}/${total} ${secs}s${final ? '\n' : ''}`);
  };
  return {
    stage(n, t) {
      if (active) this.done();
      name = n;
      total = t;
      count = 0;
      start = Date.now();
      active = true;
      draw(false);
    },
    tick(k = 1) {
      count += k;
      draw(false);
    },
    done() {
      if (!active) return;
      count = Math.max(count, total);
      draw(true);
      active = false;
    },
  };
}
