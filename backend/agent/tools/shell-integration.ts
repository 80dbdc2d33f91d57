/**
 * How an agent's shell is started so it reports where each command's output
 * starts and ends, and its exit status, through OSC 633 markers (see
 * osc-markers.ts). Written to a per-agent folder and loaded by the shell at
 * start, so nothing is typed into the terminal the user watches:
 *
 * - bash ≥ 4.4: `--rcfile` (PS0 marks the start of output, PROMPT_COMMAND the end)
 * - zsh: `ZDOTDIR` (preexec and precmd hooks)
 * - fish: `--init-command` sourcing a generated file (fish_preexec,
 *   fish_postexec and fish_prompt events); `--no-config` when the user's
 *   config is not to be loaded, as bash and zsh skip their rc files then
 * - anything else (sh, old bash, PowerShell): no integration; commands are
 *   wrapped so they print the same markers themselves (see shell-commands.ts).
 *
 * A shell restarted by Troika prints why in its first lines (TROIKA_SHELL_NOTICE),
 * so the developer watching the terminal sees it too.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultShell } from '../../../native/shell.ts';
import { quoteFor, type ShellDialect } from './shell-commands.ts';

export type { ShellDialect } from './shell-commands.ts';

/** The variable a restarted shell prints, once, as it starts. */
export const SHELL_NOTICE_ENV = 'TROIKA_SHELL_NOTICE';

export interface ShellLaunch {
  file: string;
  args: string[];
  env: Record<string, string>;
  dialect: ShellDialect;
}

export interface ShellChoice {
  platform?: NodeJS.Platform;
  /** Overrides the shell choice (tests; a user setting later). */
  shell?: string | undefined;
  exists?: (file: string) => boolean;
}

export interface ShellLaunchOptions extends ShellChoice {
  /** A private folder for the rc files and command scripts. */
  stateDir: string;
  /** Load the user's own ~/.bashrc / ~/.zshrc / fish config first (aliases, PATH from version managers). */
  sourceUserRc?: boolean;
  /**
   * With `sourceUserRc`: the snapshot of those rc files (shell-snapshot.ts)
   * to source instead of running them; its environment is added to `env`.
   */
  snapshot?: { file: string; env: Record<string, string> } | null;
}

/** What the model is told it talks to. */
export interface ShellIdentity {
  /** bash, zsh, fish, sh or PowerShell. */
  name: string;
  /** Linux, macOS or Windows. */
  os: string;
}

const MARK = {
  start: String.raw`\033]633;C\007`,
  end: String.raw`\033]633;D;%s\007`,
  prompt: String.raw`\033]633;A\007`,
};

const printNotice = `[ -n "$${SHELL_NOTICE_ENV}" ] && printf '%s\\n' "$${SHELL_NOTICE_ENV}"; unset ${SHELL_NOTICE_ENV}`;

/** What an rc file runs first: the user's rc, its snapshot, or nothing. */
function userSetup(sourceUserRc: boolean, snapshot: string | undefined, rc: string): string | null {
  if (!sourceUserRc) return null;
  return snapshot !== undefined ? `. ${quoteFor('posix', snapshot)}` : rc;
}

function bashRc(sourceUserRc: boolean, snapshot?: string): string {
  const setup = userSetup(sourceUserRc, snapshot, '[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"');
  return `# Troika shell integration for an agent terminal (generated; safe to delete).
${setup ?? "PS1='\\W \\$ '"}
${snapshot !== undefined && setup !== null ? "PS1='\\W \\$ '" : ''}
# The agent's commands stay out of the user's history, and "!" in them is literal.
unset HISTFILE
set +H
# A literal tab in a typed command must not trigger completion.
bind 'set disable-completion on' 2>/dev/null
if [ "\${BASH_VERSINFO[0]}" -gt 4 ] || { [ "\${BASH_VERSINFO[0]}" -eq 4 ] && [ "\${BASH_VERSINFO[1]}" -ge 4 ]; }; then
  __troika_prompt() { local s=$?; printf '${MARK.end}${MARK.prompt}' "$s"; return $s; }
  PROMPT_COMMAND="__troika_prompt\${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
  PS0=$'\\e]633;C\\a'
fi
${printNotice}
`;
}

function zshRc(sourceUserRc: boolean, snapshot?: string): string {
  const setup = userSetup(
    sourceUserRc,
    snapshot,
    '[ -f "$HOME/.zshrc" ] && ZDOTDIR="$HOME" . "$HOME/.zshrc"',
  );
  return `# Troika shell integration for an agent terminal (generated; safe to delete).
${setup ?? "PS1='%1~ %# '"}
${snapshot !== undefined && setup !== null ? "PS1='%1~ %# '" : ''}
unset HISTFILE
setopt NO_BANG_HIST
__troika_precmd() { local s=$?; printf '${MARK.end}${MARK.prompt}' "$s"; }
__troika_preexec() { printf '${MARK.start}'; }
autoload -Uz add-zsh-hook
add-zsh-hook precmd __troika_precmd
add-zsh-hook preexec __troika_preexec
${printNotice}
`;
}

/** How the shell prepareShellLaunch starts on `platform` reads commands. */
export function shellDialect(platform: NodeJS.Platform = process.platform): ShellDialect {
  return platform === 'win32' ? 'powershell' : 'posix';
}

function fishRc(): string {
  return `# Troika shell integration for an agent terminal (generated; safe to delete).
# The agent's commands stay out of the user's history.
set -g fish_history ''
function __troika_preexec --on-event fish_preexec
    printf '\\e]633;C\\a'
end
function __troika_postexec --on-event fish_postexec
    printf '\\e]633;D;%s\\a' $status
end
function __troika_prompt --on-event fish_prompt
    printf '\\e]633;A\\a'
end
if set -q ${SHELL_NOTICE_ENV}
    printf '%s\\n' "$${SHELL_NOTICE_ENV}"
    set -e ${SHELL_NOTICE_ENV}
end
`;
}

const SHELL_NAMES: Record<string, string> = {
  bash: 'bash',
  zsh: 'zsh',
  fish: 'fish',
  pwsh: 'PowerShell',
  powershell: 'PowerShell',
};

/** The shell's name from its path: bash, zsh, fish, PowerShell, or sh for any other (dash, ksh…). */
export function shellNameOf(file: string): string {
  const base = (file.split(/[\\/]/).pop() ?? file).replace(/\.exe$/i, '').toLowerCase();
  return SHELL_NAMES[base] ?? 'sh';
}

export function osNameOf(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS';
  if (platform === 'win32') return 'Windows';
  if (platform === 'linux') return 'Linux';
  return platform;
}

/** The shell an agent's terminal runs: zsh on macOS, bash elsewhere, PowerShell on Windows. */
export function agentShellFile(options: ShellChoice = {}): string {
  const platform = options.platform ?? process.platform;
  const exists = options.exists ?? existsSync;
  if (options.shell) return options.shell;
  if (platform === 'win32') return defaultShell().file;
  return (
    (platform === 'darwin' && exists('/bin/zsh')
      ? '/bin/zsh'
      : ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash'].find(exists)) ?? '/bin/sh'
  );
}

/** Which shell and OS the model's commands run in; stable for an agent's life. */
export function agentShellIdentity(options: ShellChoice = {}): ShellIdentity {
  return {
    name: shellNameOf(agentShellFile(options)),
    os: osNameOf(options.platform ?? process.platform),
  };
}

export function prepareShellLaunch(options: ShellLaunchOptions): ShellLaunch {
  const platform = options.platform ?? process.platform;
  const sourceUserRc = options.sourceUserRc ?? true;
  mkdirSync(options.stateDir, { recursive: true });
  const file = agentShellFile(options);

  if (platform === 'win32') {
    // Commands run as dot-sourced script files, which the default execution policy would refuse; Bypass applies to this process only.
    return {
      file,
      args: ['-NoLogo', '-NoProfile', '-ExecutionPolicy', 'Bypass'],
      env: {},
      dialect: 'powershell',
    };
  }
  const name = shellNameOf(file);
  const snapshot = sourceUserRc ? (options.snapshot ?? undefined) : undefined;
  const snapshotEnv = snapshot?.env ?? {};
  if (name === 'bash') {
    const rc = join(options.stateDir, 'bashrc');
    writeFileSync(rc, bashRc(sourceUserRc, snapshot?.file));
    const args = ['--noprofile', '--rcfile', rc, '-i'];
    return { file, args, env: { ...snapshotEnv }, dialect: 'posix' };
  }
  if (name === 'fish') {
    const rc = join(options.stateDir, 'troika.fish');
    writeFileSync(rc, fishRc());
    const init = ['--init-command', `source ${quoteFor('fish', rc)}`, '-i'];
    return { file, args: sourceUserRc ? init : ['--no-config', ...init], env: {}, dialect: 'fish' };
  }
  if (name === 'zsh') {
    const dir = join(options.stateDir, 'zsh');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.zshrc'), zshRc(sourceUserRc, snapshot?.file));
    // A snapshot stands for .zshenv too: zsh reads $ZDOTDIR/.zshenv, which is not there.
    return { file, args: ['-i'], env: { ...snapshotEnv, ZDOTDIR: dir }, dialect: 'posix' };
  }
  return { file, args: ['-i'], env: {}, dialect: 'posix' };
}
