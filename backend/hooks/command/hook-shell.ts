/**
 * The shell a hook command runs in: bash, as Claude Code uses, wherever there
 * is one. Hook scripts and command lines are written for bash (`[[ ]]`,
 * `$(< file)`, `set -o pipefail`); Debian's `/bin/sh` is dash and fails on
 * them. On Windows, Claude Code runs hooks in Git for Windows' bash
 * (`CLAUDE_CODE_GIT_BASH_PATH` names it when it is elsewhere); without one,
 * the command goes to cmd, as Node's own `shell: true` does.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where bash usually is, after the PATH. */
const POSIX_BASH = ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash', '/opt/homebrew/bin/bash'];
const WINDOWS_BASH = [
  'C:\\Program Files\\Git\\bin\\bash.exe',
  'C:\\Program Files (x86)\\Git\\bin\\bash.exe',
];

export interface HookShellOptions {
  readonly platform?: NodeJS.Platform;
  readonly env?: NodeJS.ProcessEnv;
  /** For tests: whether a file exists. */
  readonly exists?: (path: string) => boolean;
}

/** The `shell` for `spawn`: bash's path, or `true` (sh on POSIX, cmd on Windows) when there is no bash. */
export function hookShell(options: HookShellOptions = {}): string | true {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsSync;
  const windows = platform === 'win32';
  const named = windows ? env['CLAUDE_CODE_GIT_BASH_PATH'] : undefined;
  if (named && exists(named)) return named;
  const pathDirs = (env['PATH'] ?? env['Path'] ?? '').split(windows ? ';' : delimiter);
  const onPath = pathDirs
    .filter((dir) => dir !== '')
    // Windows' System32\bash.exe starts WSL, a different machine: not the bash Claude Code means.
    .filter((dir) => !(windows && /system32/i.test(dir)))
    .map((dir) => (windows ? `${dir}\\bash.exe` : join(dir, 'bash')));
  const found = [...onPath, ...(windows ? WINDOWS_BASH : POSIX_BASH)].find((path) => exists(path));
  return found ?? true;
}
