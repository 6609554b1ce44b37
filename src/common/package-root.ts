import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding Ferrite's package.json, from this module in src/ or in dist/src/. */
export function packageRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'ferrite.mjs'))) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error('Ferrite’s package root was not found');
  }
}

/** The `ferrite` command of this checkout or installation. */
export function ferriteBin(): string {
  return join(packageRoot(), 'bin', 'ferrite.mjs');
}
