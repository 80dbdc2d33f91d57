/**
 * Shell snapshots: the user's rc files run once, not in every agent shell.
 *
 * An agent's shell used to source ~/.bashrc (or ~/.zshrc) at every start. A
 * typical rc runs version managers (pyenv, nvm, conda): half a second of CPU
 * per shell here, and their prompt hooks added ~0.1 s to every command. A
 * plan starts a dozen shells on two cores. As Claude Code does, Troika runs
 * the rc once in a plain `bash -ic` / `zsh -ic` and keeps what the agent's
 * commands need:
 *
 * - the exported environment the rc changed (PATH from version managers…),
 *   handed to the shell's process in memory, never written to disk (it may
 *   hold secrets), the variables Troika never passes into a terminal left out;
 * - functions, aliases and shell options, written to a file the shell
 *   sources instead of the rc (mode 0600, under Troika's data folder).
 *
 * Prompt hooks (PROMPT_COMMAND, precmd, preexec), prompts and interactive
 * modes are not carried over: they cost every command and Troika's own
 * markers use those places. A snapshot is shared by every agent while the rc
 * files keep their size and modification time; a change makes the next
 * shell take a new one. If taking one fails or takes over the time limit,
 * the shell sources the rc as before and the reason is logged once.
 */
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { launch, launchStreaming } from '../../../native/process-launcher.ts';
import { SCRUBBED_ENV_VARS } from '../../pty/constants.ts';
import { shellNameOf } from './shell-integration.ts';

/** A user's rc that takes longer than this is not waited for: the shell sources it itself. */
export const SNAPSHOT_TIMEOUT_MS = 10_000;
/** More output than this from an rc is not a snapshot (a loop, a dump). */
const SNAPSHOT_MAX_BYTES = 16 * 1024 * 1024;

export interface ShellSnapshot {
  /** The file with the functions, aliases and options, for the shell to source. */
  file: string;
  /** Exported variables the rc set or changed. */
  env: Record<string, string>;
}

export interface SnapshotOptions {
  /** The shell's executable. */
  shell: string;
  /** Where snapshot files go. */
  dir: string;
  home?: string;
  /** The environment the agent's shell would start with (the rc runs in it). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Told once per failed snapshot: why the rc is sourced instead. */
  onFallback?: (reason: string) => void;
}

const ENV_MARK = '__TROIKA_SNAPSHOT_ENV__';
const DEFS_MARK = '__TROIKA_SNAPSHOT_DEFS__';

/** Variables that describe one shell, not the user's setup. */
const NOT_CARRIED = new Set([
  'PWD',
  'OLDPWD',
  'SHLVL',
  '_',
  'PS0',
  'PS1',
  'PS2',
  'PS4',
  'PROMPT_COMMAND',
  'TERM',
  'COLUMNS',
  'LINES',
  'HISTFILE',
  'ZDOTDIR',
  ...SCRUBBED_ENV_VARS,
]);

/** bash `set -o` options that would break or slow an agent's shell, or belong to an interactive user. */
const BASH_SET_SKIPPED = new Set([
  'errexit',
  'errtrace',
  'functrace',
  'history',
  'monitor',
  'noexec',
  'nounset',
  'onecmd',
  'verbose',
  'xtrace',
  'posix',
  'privileged',
  'emacs',
  'vi',
  'keyword',
]);
/** bash `shopt` options that cannot be set, or are the shell's own state. */
const BASH_SHOPT_SKIPPED = new Set(['login_shell', 'restricted_shell', 'progcomp_alias']);
/** zsh options that are the shell's own state, or would break an agent's shell. */
const ZSH_SETOPT_SKIPPED = new Set([
  'interactive',
  'monitor',
  'shinstdin',
  'zle',
  'login',
  'privileged',
  'restricted',
  'singlecommand',
  'errexit',
  'errreturn',
  'xtrace',
  'verbose',
  'noexec',
  'nounset',
  'vi',
  'emacs',
]);
/** zsh functions that are hooks: run around every command, not by commands. */
const ZSH_HOOK_FUNCTIONS = new Set([
  'precmd',
  'preexec',
  'chpwd',
  'periodic',
  'zshaddhistory',
  'zshexit',
  'zsh_directory_name',
  'TRAPDEBUG',
]);

function bashScript(): string {
  return [
    `printf '\\0${ENV_MARK}\\0'`,
    `for __troika_n in $(compgen -e); do printf '%s\\0%s\\0' "$__troika_n" "\${!__troika_n}"; done`,
    `printf '\\0${DEFS_MARK}\\0'`,
    'declare -f',
    `printf '\\0${DEFS_MARK}\\0'`,
    'alias -p',
    `printf '\\0${DEFS_MARK}\\0'`,
    'shopt -p',
    `printf '\\0${DEFS_MARK}\\0'`,
    'set +o',
  ].join('\n');
}

function zshScript(): string {
  return [
    `printf '\\0${ENV_MARK}\\0'`,
    `for __troika_n in \${(k)parameters[(R)*export*]}; do printf '%s\\0%s\\0' "$__troika_n" "\${(P)__troika_n}"; done`,
    `printf '\\0${DEFS_MARK}\\0'`,
    // Names only; each wanted one is printed below (completion functions, `_*`, are left out).
    `for __troika_f in \${(k)functions}; do case $__troika_f in _*|${[...ZSH_HOOK_FUNCTIONS].join('|')}) ;; *) typeset -f -- "$__troika_f";; esac; done`,
    `printf '\\0${DEFS_MARK}\\0'`,
    'alias -L',
    `printf '\\0${DEFS_MARK}\\0'`,
    'setopt',
  ].join('\n');
}

/** The rc files whose change makes a new snapshot. */
function rcFiles(name: 'bash' | 'zsh', home: string, env: NodeJS.ProcessEnv): string[] {
  if (name === 'bash') return [join(home, '.bashrc'), '/etc/bash.bashrc', '/etc/bashrc'];
  const zdot = env['ZDOTDIR'] || home;
  return [
    join(zdot, '.zshenv'),
    join(zdot, '.zshrc'),
    '/etc/zshenv',
    '/etc/zsh/zshenv',
    '/etc/zshrc',
    '/etc/zsh/zshrc',
  ];
}

function versionOf(files: readonly string[]): string {
  return files
    .map((file) => {
      try {
        const info = statSync(file);
        return `${file}:${info.size}:${info.mtimeMs}`;
      } catch {
        return `${file}:-`;
      }
    })
    .join('|');
}

/** Parses `name\0value\0…` into the variables the rc added or changed. */
function changedEnv(raw: string, before: NodeJS.ProcessEnv): Record<string, string> {
  const parts = raw.split('\0');
  const env: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const name = parts[i] as string;
    const value = parts[i + 1] as string;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || NOT_CARRIED.has(name)) continue;
    if (name.startsWith('__troika') || before[name] === value) continue;
    env[name] = value;
  }
  return env;
}

function optionLines(text: string, pattern: RegExp, skipped: ReadonlySet<string>): string[] {
  return text
    .split('\n')
    .filter((line) => {
      const name = pattern.exec(line)?.[1];
      return name !== undefined && !skipped.has(name);
    })
    .map((line) => line.trim());
}

function bashDefinitions(sections: string[]): string {
  const [functions = '', aliases = '', shopts = '', sets = ''] = sections;
  return [
    // Functions first: their bodies were parsed with the aliases already expanded.
    functions.trim(),
    ...optionLines(shopts, /^shopt -[su] (\w+)$/, BASH_SHOPT_SKIPPED),
    ...optionLines(sets, /^set [-+]o (\w+)$/, BASH_SET_SKIPPED),
    aliases.trim(),
  ].join('\n');
}

function zshDefinitions(sections: string[]): string {
  const [functions = '', aliases = '', options = ''] = sections;
  const set = options
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => /^\w+$/.test(name) && !ZSH_SETOPT_SKIPPED.has(name));
  return [
    functions.trim(),
    ...(set.length > 0 ? [`setopt ${set.join(' ')}`] : []),
    aliases.trim(),
  ].join('\n');
}

/**
 * Runs the capturing shell in its own process group, so a time limit ends
 * what the rc started too (a `sleep` holding the output open).
 */
async function runCapture(
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ stdout: string; code: number | null; timedOut: boolean; error: string | null }> {
  let stdout = '';
  let pid: number | undefined;
  let timedOut = false;
  let tooLong = false;
  const killGroup = () => {
    try {
      if (pid !== undefined) process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, timeoutMs);
  try {
    const result = await launchStreaming(file, args, {
      cwd,
      env,
      detached: true,
      onPid: (started) => {
        pid = started;
        if (timedOut) killGroup();
      },
      onData: (text) => {
        stdout += text;
        if (stdout.length > SNAPSHOT_MAX_BYTES && !tooLong) {
          tooLong = true;
          killGroup();
        }
      },
    });
    const error = tooLong
      ? `the rc files printed over ${SNAPSHOT_MAX_BYTES} bytes`
      : (result.error?.message ?? null);
    return { stdout, code: result.code, timedOut, error };
  } finally {
    clearTimeout(timer);
    // Whatever the rc left running in the background goes too.
    killGroup();
  }
}

async function capture(
  name: 'bash' | 'zsh',
  options: SnapshotOptions & { home: string; env: NodeJS.ProcessEnv },
  version: string,
): Promise<ShellSnapshot> {
  const { env, home } = options;
  const timeoutMs = options.timeoutMs ?? SNAPSHOT_TIMEOUT_MS;
  const script = `exec 2>/dev/null\n${name === 'bash' ? bashScript() : zshScript()}`;
  const result = await runCapture(options.shell, ['-i', '-c', script], home, env, timeoutMs);
  if (result.timedOut) throw new Error(`the rc files took over ${Math.round(timeoutMs / 1000)} s`);
  if (result.error !== null) throw new Error(result.error);
  const start = result.stdout.indexOf(`\0${ENV_MARK}\0`);
  if (start < 0)
    throw new Error(
      `the shell exited with code ${result.code} before printing its state: ${result.stdout.trim().slice(-300)}`,
    );
  const [rawEnv = '', ...sections] = result.stdout
    .slice(start + ENV_MARK.length + 2)
    .split(`\0${DEFS_MARK}\0`);
  if (sections.length < (name === 'bash' ? 4 : 3))
    throw new Error('the shell stopped while printing its state');
  const definitions = name === 'bash' ? bashDefinitions(sections) : zshDefinitions(sections);
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const digest = createHash('sha256').update(`${options.shell}\0${version}`).digest('hex');
  const file = join(options.dir, `${name}-${digest.slice(0, 16)}.sh`);
  writeFileSync(
    file,
    `# Troika's snapshot of ${name}'s rc files: functions, options, aliases (generated; safe to delete).\n${definitions}\n`,
    { mode: 0o600 },
  );
  chmodSync(file, 0o600);
  // A snapshot the shell cannot read back is worse than the rc itself.
  const check = await launch(options.shell, ['-n', file], { env, timeoutMs: 5_000 });
  if (check.code !== 0)
    throw new Error(`its snapshot does not parse: ${check.stderr.trim().slice(-300)}`);
  return { file, env: changedEnv(rawEnv, env) };
}

const snapshots = new Map<string, Promise<ShellSnapshot | null>>();

/**
 * The snapshot of the user's rc for `shell` (bash or zsh; null for others,
 * or when one cannot be taken: the shell then sources the rc itself).
 * Agents asking together share one capture.
 */
export function shellSnapshot(options: SnapshotOptions): Promise<ShellSnapshot | null> {
  const name = shellNameOf(options.shell);
  if (name !== 'bash' && name !== 'zsh') return Promise.resolve(null);
  const home = options.home ?? homedir();
  const env = options.env ?? process.env;
  const version = versionOf(rcFiles(name, home, env));
  const key = `${options.shell}\0${home}\0${options.dir}\0${version}`;
  let known = snapshots.get(key);
  if (known === undefined) {
    // One per shell and home: a changed rc replaces the old entry.
    for (const old of snapshots.keys())
      if (old.startsWith(`${options.shell}\0${home}\0${options.dir}\0`)) snapshots.delete(old);
    known = capture(name, { ...options, home, env }, version).catch((error: unknown) => {
      options.onFallback?.(
        `Could not snapshot the ${name} rc files (${(error as Error).message}); agents' shells source them instead.`,
      );
      return null;
    });
    snapshots.set(key, known);
  }
  return known;
}
