// The streaming DM3/DM4 path (readDmFrom / dmInfoFrom over a ByteSource) against the whole-file
// reader, on the real rosettasciio fixtures and on synthetic multi-frame DM4 stacks built here.
import { describe, expect, it } from 'vitest';
import { LimitError, ParseError, ValidationError } from '@siteproof/core';
import { dmInfoFrom, readDm, readDmFrom, type ByteSource } from './dm';
import { describeShared, readSharedBytes } from '../../../../tests/helpers/shared';
import { cat, dm4Parts } from '../../../../tests/stem/dm4Builder';

/** A ByteSource over memory that records how many bytes were asked for. */
function counted(bytes: Uint8Array): ByteSource & { bytesRead: number } {
  const s = {
    size: bytes.byteLength,
    bytesRead: 0,
    read: async (offset: number, length: number) => {
      const b = bytes.subarray(offset, Math.min(bytes.byteLength, offset + length));
      s.bytesRead += b.byteLength;
      return b;
    },
  };
  return s;
}

function dm4(w: number, h: number, frames: number, pixel: (x: number, y: number, f: number) => number): Uint8Array {
  const { head, dataBytes, tail } = dm4Parts(w, h, frames, 0.05);
  const px = new Float32Array(dataBytes / 4);
  for (let f = 0; f < frames; f++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[(f * h + y) * w + x] = pixel(x, y, f);
  return cat(head, new Uint8Array(px.buffer), tail);
}

describe('readDmFrom on a synthetic multi-frame DM4', () => {
  const W = 7;
  const H = 5;
  const F = 4;
  const pix = (x: number, y: number, f: number) => 1000 * f + 10 * y + x + 0.25;
  const bytes = dm4(W, H, F, pix);

  it('reports dimensions, frames and calibration from the tags alone', async () => {
    const info = await dmInfoFrom(counted(bytes), 'stack.dm4');
    expect([info.width, info.height, info.frames, info.dimensions]).toEqual([W, H, F, [W, H, F]]);
    expect(info.dataType).toBe('float32');
    expect(info.pixelNm).toBeCloseTo(0.05, 7);
    expect(info.meta.name).toBe('stack');
  });

  it('frame 0 equals readDm (whole file); any frame and summed ranges give the exact pixels', async () => {
    const whole = readDm(bytes, 'stack.dm4');
    const f0 = await readDmFrom(counted(bytes), 'stack.dm4');
    expect(Array.from(f0.data)).toEqual(Array.from(whole.data));
    expect(f0.pixelNm).toBe(whole.pixelNm);
    for (let f = 0; f < F; f++) {
      const im = await readDmFrom(counted(bytes), 'stack.dm4', { frame: f });
      expect(im.data[3 * W + 2]).toBe(pix(2, 3, f));
      expect(im.meta.frame).toBe(f);
    }
    const sum = await readDmFrom(counted(bytes), 'stack.dm4', { frame: 1, frameCount: 3 });
    expect(sum.data[4 * W + 6]).toBe(pix(6, 4, 1) + pix(6, 4, 2) + pix(6, 4, 3));
    expect(sum.warnings[0]).toMatch(/frames 1–3 summed/);
  });

  it('refuses frames beyond the stack, frames above maxImageBytes, and a cut-short file', async () => {
    await expect(readDmFrom(counted(bytes), 'stack.dm4', { frame: F })).rejects.toThrow(ValidationError);
    const big = readDmFrom(counted(bytes), 'stack.dm4', { maxImageBytes: 4 * W * H - 1 });
    await expect(big).rejects.toThrow(LimitError);
    await expect(readDmFrom(counted(bytes), 'stack.dm4', { maxImageBytes: 4 * W * H - 1 })).rejects.toThrow(/maxImageBytes/);
    await expect(readDmFrom(counted(bytes.subarray(0, bytes.length - 40)), 'cut.dm4')).rejects.toThrow(ParseError);
    await expect(readDmFrom(counted(bytes), 'stack.dm4', { frame: -1 })).rejects.toThrow(ValidationError);
  });

  it('a tag tree larger than maxTagBytes is refused with the option named', async () => {
    await expect(dmInfoFrom(counted(bytes), 'stack.dm4', { maxTagBytes: 1 })).rejects.toThrow(/maxTagBytes/);
  });
});

describeShared('readDmFrom on the rosettasciio DM3/DM4 fixtures', () => {
  const R = 'data/stem/rosettasciio/digitalmicrograph';
  for (const f of ['2D/test_STEM_image.dm3', '2D/test-1.dm4', 'Fei HAADF-UK_location.dm3']) {
    it(`${f}: identical pixels, calibration and metadata through both paths, reading less than the file`, async () => {
      const bytes = readSharedBytes(`${R}/${f}`);
      const whole = readDm(bytes, f);
      const src = counted(bytes);
      const streamed = await readDmFrom(src, f);
      expect([streamed.width, streamed.height]).toEqual([whole.width, whole.height]);
      expect(streamed.data).toEqual(whole.data);
      expect(streamed.pixelNm).toBe(whole.pixelNm);
      expect(streamed.meta).toEqual(whole.meta);
      expect(src.bytesRead).toBeLessThanOrEqual(bytes.length + 4 * 65536);
    });
  }
});
