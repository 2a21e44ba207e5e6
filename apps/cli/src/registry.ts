// Sub-commands live one per file under commands/<group>/<name>.ts (or commands/<name>.ts),
// each with a default export made by defineCommand. They are discovered here so that
// packages can add commands without editing a shared list.
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CommandSpec } from './command';

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

function listCommandFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listCommandFiles(full));
    else if (/\.ts$/.test(entry) && !/\.(test|spec)\.ts$/.test(entry) && !entry.startsWith('_')) out.push(full);
  }
  return out;
}

export async function loadCommands(): Promise<CommandSpec[]> {
  const files = listCommandFiles(commandsDir);
  const specs: CommandSpec[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(f).href)) as { default?: CommandSpec };
    if (mod.default && Array.isArray(mod.default.path)) specs.push(mod.default);
  }
  return specs;
}
