/**
 * Finds an Electron binary WITHOUT triggering the `electron` package's lazy
 * download (requiring `electron` from Node downloads it on first use, which
 * cannot work on machines without access to its host). Looks at
 * ELECTRON_OVERRIDE_DIST_PATH, then `dist/` beside the package's `path.txt`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/**
 * How to get a binary, said with every "not found": `npm ci` never downloads
 * it (package.json's allowScripts keeps electron's install script off, so an
 * install works offline), and Troika never triggers the lazy download.
 */
export const GET_ELECTRON_HINT =
  'to get the desktop app, download the binary with `node node_modules/electron/install.js` (fetches it from GitHub), or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an unpacked Electron';

export interface FindElectronOptions {
  env?: NodeJS.ProcessEnv;
  /** Folder of the installed `electron` package; found by resolution when omitted. */
  packageDir?: string;
  exists?: (path: string) => boolean;
}

function defaultPackageDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

export function findElectronBinary(options: FindElectronOptions = {}): ElectronBinary {
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsSync;
  const packageDir = options.packageDir ?? defaultPackageDir();
  const pathTxt = packageDir ? join(packageDir, 'path.txt') : undefined;
  const relative = pathTxt && exists(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : undefined;

  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const path = join(
      override,
      relative ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'),
    );
    return exists(path)
      ? { found: true, path }
      : {
          found: false,
          reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${path} does not exist; ${GET_ELECTRON_HINT}`,
        };
  }
  if (!packageDir)
    return { found: false, reason: `the electron package is not installed (run npm ci)` };
  if (!relative) {
    return {
      found: false,
      reason: `the Electron binary was never downloaded (no path.txt in node_modules/electron); ${GET_ELECTRON_HINT}`,
    };
  }
  const path = join(packageDir, 'dist', relative);
  return exists(path)
    ? { found: true, path }
    : { found: false, reason: `the Electron binary is missing at ${path}; ${GET_ELECTRON_HINT}` };
}
