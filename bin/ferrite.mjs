#!/usr/bin/env node
// The `ferrite` command. It runs the compiled build (dist/, made by
// `npm ci` / `npm run build`) when that is at least as new as the sources,
// and the TypeScript sources through tsx otherwise, so an edit is never
// hidden behind a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let entry;
if (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(root, 'src'))) {
  entry = built;
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = join(root, 'src', 'cli', 'main.ts');
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
