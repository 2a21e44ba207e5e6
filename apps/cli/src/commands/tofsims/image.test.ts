import { describe, expect, it, vi } from 'vitest';
import { main } from '../../main';
import { describeShared, sharedPath } from '../../../../../tests/helpers/shared';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((t: any) => (out.push(String(t)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((t: any) => (err.push(String(t)), true));
  return { out, err, restore: () => (so.mockRestore(), se.mockRestore()) };
}

describeShared('siteproof tofsims image', () => {
  it('sums a window per pixel of the IONTOF-dialect imzML fixture', async () => {
    const c = capture();
    const code = await main(['tofsims', 'image', sharedPath('data/tofsims/thyra_iontof_sparse.imzML'), '--mz', '300', '--tol-mda', '500', '--json']);
    c.restore();
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(''));
    expect([doc.width, doc.height, doc.pixels]).toEqual([4, 4, 6]);
    expect(doc.values).toHaveLength(16);
    expect(doc.acquired.reduce((a: number, b: number) => a + b, 0)).toBe(6);
    expect(doc.total).toBeGreaterThan(0);
  });

  it('fails clearly when the .ibd is missing', async () => {
    const c = capture();
    const code = await main(['tofsims', 'image', sharedPath('data/tofsims/thyra_iontof_sparse.imzML'), '--mz', '300', '--ibd', '/nonexistent.ibd', '--json']);
    c.restore();
    expect(code).not.toBe(0);
    expect(c.err.join('')).toMatch(/\.ibd file is missing/);
  });
});
