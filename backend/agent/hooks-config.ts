/**
 * Where the user's hooks and personas are: a setting, else the environment
 * (`TROIKA_HOOKS_FILE`, `TROIKA_PERSONAS_DIR`), else files in the data folder.
 * The hooks file is in Claude Code's settings format, so a project's
 * `.claude/settings.json` can be named as it is.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Looked for in the data folder, in this order, when nothing names a hooks file. */
export const DEFAULT_HOOKS_FILE_NAMES = ['hooks.json', 'settings.json'] as const;
export const DEFAULT_PERSONAS_DIR_NAME = 'personas';
/**
 * Folder under the data folder for copies of hook scripts, taken when the
 * hooks file is loaded, so an agent cannot rewrite a hook that guards it.
 */
export const HOOK_SCRIPTS_DIR_NAME = 'hook-scripts';

/** Where hook scripts are copied for `dataDir`. */
export function hookScriptsDir(dataDir: string): string {
  return join(dataDir, HOOK_SCRIPTS_DIR_NAME);
}

export interface HooksLocation {
  /** The hooks file, or undefined for none. */
  file: string | undefined;
  /** Whether the user named it (then a missing file is reported, not taken as "no hooks"). */
  required: boolean;
}

/** The hooks file to load. */
export function resolveHooksFile(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  configured?: string,
): HooksLocation {
  if (configured) return { file: configured, required: true };
  const fromEnv = env['TROIKA_HOOKS_FILE'];
  if (fromEnv) return { file: fromEnv, required: true };
  for (const name of DEFAULT_HOOKS_FILE_NAMES) {
    const file = join(dataDir, name);
    if (existsSync(file)) return { file, required: false };
  }
  return { file: undefined, required: false };
}

/** The user's persona folder (it need not exist). */
export function resolvePersonasDir(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  configured?: string,
): string {
  return configured || env['TROIKA_PERSONAS_DIR'] || join(dataDir, DEFAULT_PERSONAS_DIR_NAME);
}
