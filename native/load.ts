/**
 * The one place Troika loads native modules (node-pty, better-sqlite3).
 *
 * A native module fails in two common ways: its binary is missing (install
 * scripts were skipped, a partial install) or it was built for another ABI
 * (installed under Node, launched under Electron, or the reverse). Both surface
 * as cryptic dlopen errors deep inside the module; here they become one
 * {@link NativeModuleError} that names the module and the command that fixes it.
 */
import { createRequire } from 'node:module';

/** The native modules Troika uses, with the command that repairs each. */
export const NATIVE_MODULES = {
  'node-pty': { fix: 'npm rebuild node-pty' },
  'better-sqlite3': { fix: 'npm rebuild better-sqlite3' },
} as const;

export type NativeModuleName = keyof typeof NATIVE_MODULES;

export class NativeModuleError extends Error {
  readonly moduleName: string;
  readonly fix: string;
  constructor(moduleName: string, fix: string, reason: string, options?: { cause?: unknown }) {
    super(`Cannot load native module "${moduleName}": ${reason}. Fix: run \`${fix}\``, options);
    this.name = 'NativeModuleError';
    this.moduleName = moduleName;
    this.fix = fix;
  }
}

/** Under Electron the fix is a rebuild for Electron's ABI, not for Node's. */
function fixFor(name: string): string {
  if (process.versions['electron']) return 'npm run rebuild:electron';
  return NATIVE_MODULES[name as NativeModuleName]?.fix ?? `npm rebuild ${name}`;
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    return 'it is not installed or its compiled binary is missing';
  }
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
    return `it was built for a different Node.js/Electron ABI (running ABI ${process.versions.modules})`;
  }
  if (/invalid ELF header|wrong ELF class|not a valid Win32 application|mach-o/i.test(message)) {
    return 'its binary was built for another platform or architecture';
  }
  return `loading failed (${message.split('\n')[0]})`;
}

const requireFromHere = createRequire(import.meta.url);

/**
 * Load a native module by name, throwing {@link NativeModuleError} with a fix
 * on failure. `requireFn` is injectable so tests can point it at a missing module.
 */
export function loadNative<T>(
  name: string,
  requireFn: (id: string) => unknown = requireFromHere,
): T {
  try {
    return requireFn(name) as T;
  } catch (error) {
    throw new NativeModuleError(name, fixFor(name), reasonOf(error), { cause: error });
  }
}
