// Batch mode: report tasks on worker_threads (started through tsx's loader, as the CLI runs from
// .ts sources) give exactly the results of the inline run, in input order; a failing file is a
// failed result, not a crash of the pool.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared';
import { parseReportConfig } from '../../apps/cli/src/report/config';
import { runTasks } from '../../apps/cli/src/report/pool';
import type { Task, XasTaskOutput } from '../../apps/cli/src/report/tasks';

const EXP = path.join(REPO_ROOT, 'examples/experiment/xas');

describe('report batch mode (worker_threads)', () => {
  it('2 workers = inline, bit for bit, in input order; bad input is a failed result', async () => {
    const cx = parseReportConfig({}).xas;
    const names = ['cu_03_m1.0V.xdi', 'cu_00_ocp.xdi', 'cu_02_m0.7V.xdi'];
    const tasks: Task[] = names.map((f) => ({
      kind: 'xas',
      input: { name: f, bytes: new Uint8Array(readFileSync(path.join(EXP, f))), reference: cx.referenceChannel, preEdge: cx.preEdge, autobk: cx.autobk, xftf: cx.xftf },
    }));
    tasks.push({ kind: 'xas', input: { ...(tasks[0].input as object), name: 'bad.xdi', bytes: new TextEncoder().encode('# XDI/1.0\n#----\n1 2\nx y\n') } as never });
    const seen: number[] = [];
    const par = await runTasks(tasks, 2, (i) => seen.push(i));
    const seq = await runTasks(tasks, 1);
    expect(seen.sort()).toEqual([0, 1, 2, 3]);
    for (let i = 0; i < 3; i++) {
      expect(par[i].ok).toBe(true);
      const a = (par[i] as { value: XasTaskOutput }).value;
      const b = (seq[i] as { value: XasTaskOutput }).value;
      expect(a.name).toBe(names[i]);
      expect(a.edge).toEqual(b.edge);
      expect(Array.from(a.chi)).toEqual(Array.from(b.chi));
      expect(a.k).toBeInstanceOf(Float64Array);
    }
    expect(par[3].ok).toBe(false);
    expect((par[3] as { error: string }).error).toMatch(/bad\.xdi/);
  }, 120_000);
});
