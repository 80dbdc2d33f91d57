/**
 * Turns a spawn request into what node-pty needs, checking first what would
 * otherwise fail obscurely inside the native module: a missing shell or cwd.
 */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ShellSpec } from '../../native/shell.ts';
import { MAX_COLS, MAX_ROWS } from '../protocol/pty.ts';
import { SCRUBBED_ENV_VARS, TERM_NAME } from './constants.ts';
import { PtyError } from './pty-error.ts';

export interface SpawnRequest {
  cols: number;
  rows: number;
  /** Defaults to the user's home folder. */
  cwd?: string | undefined;
  /** Added to (and overriding) the backend's own environment. */
  env?: Record<string, string> | undefined;
  /** Program to run; defaults to the OS's default shell. */
  shell?: string | undefined;
  args?: string[] | undefined;
}

export interface ResolvedSpawn {
  file: string;
  args: string[];
  cwd: string;
  cols: number;
  rows: number;
  env: Record<string, string>;
}

export function assertSize(cols: number, rows: number): void {
  const ok = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!ok(cols, MAX_COLS) || !ok(rows, MAX_ROWS)) {
    throw new PtyError(
      'invalid_params',
      `Terminal size ${cols}x${rows} is out of range (1..${MAX_COLS} columns, 1..${MAX_ROWS} rows)`,
    );
  }
}

export function resolveSpawn(
  request: SpawnRequest,
  defaultShell: () => ShellSpec,
  baseEnv: NodeJS.ProcessEnv,
): ResolvedSpawn {
  assertSize(request.cols, request.rows);
  const cwd = request.cwd ?? homedir();
  assertDirectory(cwd);
  const shell =
    request.shell === undefined
      ? defaultShell()
      : { file: request.shell, args: request.args ?? [] };
  const env = buildEnv(baseEnv, request.env);
  return {
    file: findExecutable(shell.file, env['PATH'] ?? ''),
    args: shell.args,
    cwd,
    cols: request.cols,
    rows: request.rows,
    env,
  };
}

function assertDirectory(cwd: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(cwd).isDirectory();
  } catch {
    throw new PtyError('invalid_params', `Working directory "${cwd}" does not exist`);
  }
  if (!isDirectory)
    throw new PtyError('invalid_params', `Working directory "${cwd}" is not a directory`);
}

/** Resolves a bare name through PATH (as the OS would) so a typo is reported before spawning. */
function findExecutable(file: string, path: string): string {
  const candidates =
    isAbsolute(file) || file.includes('/') || file.includes('\\')
      ? [file]
      : path
          .split(delimiter)
          .filter(Boolean)
          .flatMap((dir) => executableNames(join(dir, file)));
  for (const candidate of candidates) {
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new PtyError('invalid_params', `Shell "${file}" was not found or is not executable`);
}

function executableNames(base: string): string[] {
  return process.platform === 'win32'
    ? [base, `${base}.exe`, `${base}.cmd`, `${base}.bat`]
    : [base];
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, process.platform === 'win32' ? fsConstants.F_OK : fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function buildEnv(
  base: NodeJS.ProcessEnv,
  overlay: Record<string, string> | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  for (const name of SCRUBBED_ENV_VARS) delete env[name];
  env['TERM'] = TERM_NAME;
  env['COLORTERM'] = 'truecolor';
  env['TERM_PROGRAM'] = 'troika';
  // Without a UTF-8 locale, programs such as less print multi-byte characters as escapes.
  if (process.platform !== 'win32' && !env['LANG'] && !env['LC_ALL'] && !env['LC_CTYPE'])
    env['LANG'] = 'C.UTF-8';
  Object.assign(env, overlay);
  return env;
}
