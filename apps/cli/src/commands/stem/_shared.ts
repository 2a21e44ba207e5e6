// Helpers shared by the `stem` sub-commands (the leading underscore keeps this file out of
// command discovery).
import * as path from 'node:path';
import { ValidationError } from '@siteproof/core';
import { readDmFrom, readImageAsync, type AtomMap, type FindAtomsOptions, type Image } from '@siteproof/stem-stats';
import type { CommandContext } from '../../command';
import { boolFlag, numberFlag, stringFlag } from '../../args';
import { openByteSource, readInput } from '../../io';

export const detectionFlags = {
  'pixel-nm': { type: 'string' },
  'k-sigma': { type: 'string' },
  detector: { type: 'string' },
  refine: { type: 'string' },
  'background-nm': { type: 'string' },
  'smooth-nm': { type: 'string' },
  'min-separation-nm': { type: 'string' },
  'log-downsample': { type: 'string' },
  preset: { type: 'string' },
  'no-auto': { type: 'boolean' },
  json: { type: 'boolean' },
  out: { type: 'string' },
  ...frameFlags(),
} as const;

/** DM3/DM4 stacks: which frame(s) to analyse and the per-frame memory limit. */
export function frameFlags() {
  return {
    frame: { type: 'string' },
    'frame-count': { type: 'string' },
    'max-image-bytes': { type: 'string' },
  } as const;
}

/** Detection options from the flags; unknown enum values are left for the zod schema to reject. */
export function detectionOptions(ctx: CommandContext): FindAtomsOptions {
  const o: Record<string, unknown> = {};
  const set = (k: string, v: unknown) => {
    if (v !== undefined) o[k] = v;
  };
  set('pixelNm', numberFlag(ctx, 'pixel-nm'));
  set('kSigma', numberFlag(ctx, 'k-sigma'));
  set('detector', stringFlag(ctx, 'detector'));
  set('refine', stringFlag(ctx, 'refine'));
  set('backgroundSigmaNm', numberFlag(ctx, 'background-nm'));
  set('smoothSigmaNm', numberFlag(ctx, 'smooth-nm'));
  set('minSeparationNm', numberFlag(ctx, 'min-separation-nm'));
  set('logDownsample', numberFlag(ctx, 'log-downsample'));
  set('preset', stringFlag(ctx, 'preset'));
  // --no-auto: the fixed (anchor) scales instead of the ones measured in the image.
  if (boolFlag(ctx, 'no-auto')) o.auto = false;
  return o as FindAtomsOptions;
}

export async function loadImage(ctx: CommandContext, file: string): Promise<{ image: Image; name: string; path: string }> {
  const frame = numberFlag(ctx, 'frame');
  const frameCount = numberFlag(ctx, 'frame-count');
  const maxImageBytes = numberFlag(ctx, 'max-image-bytes');
  if (/\.dm[34]$/i.test(file)) {
    // DM3/DM4 are read through a file handle: the tag tree in small pages, then only the frame(s)
    // asked for, so a multi-GB 4096² × 100 stack costs one frame of memory (issue 10).
    const src = await openByteSource(ctx.cwd, file);
    try {
      const opts: Record<string, number> = {};
      if (frame !== undefined) opts.frame = frame;
      if (frameCount !== undefined) opts.frameCount = frameCount;
      if (maxImageBytes !== undefined) opts.maxImageBytes = maxImageBytes;
      return { image: await readDmFrom(src, file, opts), name: file, path: src.path };
    } finally {
      await src.close();
    }
  }
  if (frame !== undefined || frameCount !== undefined) throw new ValidationError('--frame/--frame-count apply to DM3/DM4 stacks only', { field: 'frame' });
  const input = await readInput(ctx.cwd, file);
  return { image: await readImageAsync(input.bytes, input.name), name: input.name, path: input.path };
}

export function requireImages(ctx: CommandContext, max = Infinity): string[] {
  if (ctx.positionals.length === 0) throw new ValidationError('no image given', { field: 'IMAGE' }, 'pass one or more image files');
  if (ctx.positionals.length > max) throw new ValidationError(`expected ${max} image, got ${ctx.positionals.length}`, { field: 'IMAGE' });
  return ctx.positionals;
}

/** Output file stem for an input: its base name without extension. */
export function stemOf(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '');
}

export function csvNumber(x: number, digits = 6): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : '';
}
