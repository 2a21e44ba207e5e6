import { describe, expect, it } from 'vitest';
import { cleanLabelLine, finalizeLabels, fixVarname, guessBeamlineLabels, setLabels } from './labels';

describe("Larch's label rules", () => {
  it('fix_varname', () => {
    expect(fixVarname('energy')).toBe('energy');
    expect(fixVarname('<xanes>')).toBe('_xanes');
    expect(fixVarname('27')).toBe('_27');
    expect(fixVarname('I0(counts)')).toBe('I0_counts');
    expect(fixVarname('mu.trans-1')).toBe('mu_trans_1');
    expect(fixVarname('a.b.c')).toBe('a_b_c');
    expect(fixVarname('a  b')).toBe('a_b');
  });
  it('clean_label_line strips SPEC and comment prefixes', () => {
    expect(cleanLabelLine('#L Energy  I0').trim()).toBe('Energy  I0');
    expect(cleanLabelLine('# energy, i0, "it"').split(/\s+/).filter(Boolean)).toEqual(['energy', 'i0', 'it']);
  });
  it('duplicates get _colN, missing labels colN, reserved names _a', () => {
    expect(setLabels(['E', 'x', 'x'])).toEqual(['e', 'x', 'x_col3']);
    expect(finalizeLabels(['energy', 'data'], 4)).toEqual(['energy', 'data_a', 'col3', 'col4']);
    expect(finalizeLabels(['a', 'b', 'c'], 2)).toEqual(['a', 'b']);
  });
  it('generic rule: last header line; beamline templates', () => {
    expect(guessBeamlineLabels(['# scan', '# Energy I0 It']).labels).toEqual(['energy', 'i0', 'it']);
    const kek = guessBeamlineLabels(['  9809     KEK-PF   BL12C', 'Mono :  Si(111)     D=  3.13551 A', '  Angle(c)  Angle(o)    time/s         2         3']);
    expect(kek.name).toBe('KEK PF');
    expect(kek.labels).toEqual(['angle_drive', 'angle_read', 'time', 'col4', 'col5']);
    expect(kek.energyUnits).toBe('deg');
    expect(kek.monoDspace).toBeCloseTo(3.13551, 6);
  });
});
