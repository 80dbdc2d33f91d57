/**
 * How an agent's shell is started so it reports where each command's output
 * starts and ends, and its exit status, through OSC 633 markers (see
 * osc-markers.ts). Written to a per-agent folder and loaded by the shell at
 * start, so nothing is typed into the terminal the user watches:
 *
 * - bash ≥ 4.4: `--rcfile` (PS0 marks the start of output, PROMPT_COMMAND the end)
 * - zsh: `ZDOTDIR` (preexec and precmd hooks)
 * - anything else (sh, old bash, PowerShell): no integration; commands are
 *   wrapped so they print the same markers themselves (see shell-session.ts).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultShell } from '../../../native/shell.ts';

/** How commands are typed and wrapped for the model's shell. */
export type ShellDialect = 'posix' | 'powershell';

export interface ShellLaunch {
  file: string;
  args: string[];
  env: Record<string, string>;
  dialect: ShellDialect;
}

export interface ShellLaunchOptions {
  /** A private folder for the rc files and command scripts. */
  stateDir: string;
  platform?: NodeJS.Platform;
  /** Load the user's own ~/.bashrc / ~/.zshrc first (aliases, PATH from version managers). */
  sourceUserRc?: boolean;
  /** Overrides the shell choice (tests; a user setting later). */
  shell?: string | undefined;
  exists?: (file: string) => boolean;
}

const MARK = {
  start: String.raw`\033]633;C\007`,
  end: String.raw`\033]633;D;%s\007`,
  prompt: String.raw`\033]633;A\007`,
};

function bashRc(sourceUserRc: boolean): string {
  return `# Troika shell integration for an agent terminal (generated; safe to delete).
${sourceUserRc ? '[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"' : "PS1='\\W \\$ '"}
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
`;
}

function zshRc(sourceUserRc: boolean): string {
  return `# Troika shell integration for an agent terminal (generated; safe to delete).
${sourceUserRc ? '[ -f "$HOME/.zshrc" ] && ZDOTDIR="$HOME" . "$HOME/.zshrc"' : "PS1='%1~ %# '"}
unset HISTFILE
setopt NO_BANG_HIST
__troika_precmd() { local s=$?; printf '${MARK.end}${MARK.prompt}' "$s"; }
__troika_preexec() { printf '${MARK.start}'; }
autoload -Uz add-zsh-hook
add-zsh-hook precmd __troika_precmd
add-zsh-hook preexec __troika_preexec
`;
}

/** How the shell prepareShellLaunch starts on `platform` reads commands. */
export function shellDialect(platform: NodeJS.Platform = process.platform): ShellDialect {
  return platform === 'win32' ? 'powershell' : 'posix';
}

export function prepareShellLaunch(options: ShellLaunchOptions): ShellLaunch {
  const platform = options.platform ?? process.platform;
  const exists = options.exists ?? existsSync;
  const sourceUserRc = options.sourceUserRc ?? true;
  mkdirSync(options.stateDir, { recursive: true });

  if (shellDialect(platform) === 'powershell') {
    const file = options.shell ?? defaultShell().file;
    // Commands run as dot-sourced script files, which the default execution policy would refuse; Bypass applies to this process only.
    return {
      file,
      args: ['-NoLogo', '-NoProfile', '-ExecutionPolicy', 'Bypass'],
      env: {},
      dialect: 'powershell',
    };
  }
  const file =
    options.shell ??
    (platform === 'darwin' && exists('/bin/zsh')
      ? '/bin/zsh'
      : ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash'].find(exists)) ??
    '/bin/sh';
  if (/(^|\/)bash$/.test(file)) {
    const rc = join(options.stateDir, 'bashrc');
    writeFileSync(rc, bashRc(sourceUserRc));
    return { file, args: ['--noprofile', '--rcfile', rc, '-i'], env: {}, dialect: 'posix' };
  }
  if (/(^|\/)zsh$/.test(file)) {
    const dir = join(options.stateDir, 'zsh');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.zshrc'), zshRc(sourceUserRc));
    return { file, args: ['-i'], env: { ZDOTDIR: dir }, dialect: 'posix' };
  }
  return { file, args: ['-i'], env: {}, dialect: 'posix' };
}
