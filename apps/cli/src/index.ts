export { main } from './main';
export { defineCommand } from './command';
export type { CommandSpec, CommandContext } from './command';
export { readInput, writeFileAtomic, resolveUserPath } from './io';
export { numberFlag, stringFlag, boolFlag, listFlag, toJson } from './args';
