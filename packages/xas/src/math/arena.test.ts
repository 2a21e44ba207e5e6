import { describe, expect, it } from 'vitest';
import { Float64Arena } from './arena';

describe('Float64Arena', () => {
  it('hands out zero-filled, disjoint arrays over one buffer and refuses to overrun it', () => {
    const a = new Float64Arena(10);
    const x = a.take(4);
    const y = a.copy([7, 8, 9]);
    expect(Array.from(x)).toEqual([0, 0, 0, 0]);
    x.fill(1);
    expect(Array.from(y)).toEqual([7, 8, 9]);
    expect(x.buffer).toBe(y.buffer);
    expect(y.byteOffset).toBe(32);
    expect(a.take(3).length).toBe(3);
    expect(() => a.take(1)).toThrow(RangeError);
  });
});
