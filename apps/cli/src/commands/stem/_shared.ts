// Helpers shared by the `stem` sub-commands (the leading underscore keeps this file out of
// command discovery).
import * as path from 'node:path';
import { ValidationError } from '@siteproof/core';
import { readImageAsync, type FindAtomsOptions, type Image } from '@siteproof/stem-stats';
import type { CommandContext } from '../../command';
import { numberFlag, stringFlag } from '../../args';
import { readInput } from '../../io';

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
  json: { type: 'boolean' },
  out: { type: 'string' },
} as const;

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
  return o as FindAtomsOptions;
}

export async function loadImage(ctx: CommandContext, file: string): Promise<{ image: Image; name: string; path: string }> {
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
