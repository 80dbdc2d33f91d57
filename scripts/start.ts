/**
 * `npm start`: the desktop app where an Electron binary is present, otherwise
 * web mode after one line saying why. Expects `npm run build` to have run.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findElectronBinary } from '../electron/binary.ts';

const ROOT = join(import.meta.dirname, '..');
const binary = findElectronBinary();

const [command, args] = binary.found
  ? [binary.path, [join(ROOT, 'dist', 'node', 'electron', 'main.js')]]
  : [process.execPath, [join(ROOT, 'backend', 'server', 'main.ts')]];
if (!binary.found) console.log(`Starting web mode instead of the desktop app: ${binary.reason}.`);

const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
