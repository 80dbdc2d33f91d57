/**
 * After `tsc` emits dist/node: copy the non-TypeScript files the Node side
 * reads at run time (the built-in persona Markdown), which tsc does not copy.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const ASSET_FOLDERS = ['backend/personas/builtin'];

for (const folder of ASSET_FOLDERS) {
  cpSync(join(ROOT, folder), join(ROOT, 'dist', 'node', folder), { recursive: true });
}
console.log(`copied ${ASSET_FOLDERS.length} asset folder(s) into dist/node`);
