/**
 * `npm run rebuild:electron`: rebuilds the native modules for the installed
 * Electron's ABI. Both ship Node-API prebuilds that load in Node and Electron
 * alike, so this is only needed when a prebuild does not fit the platform.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rebuild } from '@electron/rebuild';
import { NATIVE_MODULES } from './load.ts';

const ROOT = join(import.meta.dirname, '..');
const { version } = JSON.parse(
  readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8'),
) as { version: string };

console.log(`Rebuilding ${Object.keys(NATIVE_MODULES).join(', ')} for Electron ${version}…`);
await rebuild({
  buildPath: ROOT,
  electronVersion: version,
  onlyModules: Object.keys(NATIVE_MODULES),
  force: true,
});
console.log('Done.');
