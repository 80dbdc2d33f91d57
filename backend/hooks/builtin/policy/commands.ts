/**
 * One command, as its words: which rule it hits and which paths it writes.
 * Shared by the bash and PowerShell readers (git, python -c, sudo mean the
 * same in both). Wrappers are looked through (wrappers.ts); commands holding
 * shell text (`bash -c`, eval, alias) have that text read in turn.
 */
import { inlineCode } from './interpreters.ts';
import type { Arg, Scan, Stdin } from './scan.ts';
import { WRAPPERS } from './wrappers.ts';

/** bash, sh, zsh and friends: `-c` text is read as a command. */
const SHELLS = /^(?:ba|z|da|k|mk|a|fi)?sh$/;
const FETCHERS = new Set(['curl', 'wget']);
/** Text that downloads something: curl/wget in bash, their PowerShell counterparts. */
const FETCH = /\b(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|DownloadString)\b/i;

/** `/usr/bin/rm`, `\rm`, `'rm'`, `RM.EXE` → `rm`. */
export function commandName(text: string): string {
  const base = text.slice(Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\')) + 1);
  return base.toLowerCase().replace(/\.exe$/, '');
}

export const fetches = (arg: Arg): boolean => !arg.literal && FETCH.test(arg.text);

const isOption = (arg: Arg) => arg.text.startsWith('-') && arg.text.length > 1;

/** Short option clusters (`-rf`, `-xdf`) holding `letter`; long options named `long`. */
function hasFlag(args: readonly Arg[], letters: string, long: readonly string[]): boolean {
  for (const { text } of args) {
    if (text === '--') return false;
    if (long.includes(text) || long.some((l) => text.startsWith(`${l}=`))) return true;
    if (/^-[A-Za-z0-9]+$/.test(text) && [...letters].some((l) => text.includes(l))) return true;
  }
  return false;
}

/** Operands: the words that are not options (everything after `--`). */
function operands(args: readonly Arg[], withValue: readonly string[] = []): Arg[] {
  const found: Arg[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as Arg;
    if (arg.text === '--') return [...found, ...args.slice(i + 1)];
    if (withValue.includes(arg.text)) i++;
    else if (!isOption(arg)) found.push(arg);
  }
  return found;
}

/**
 * Checks one command's words (name first). Returns the name of the command
 * that finally runs, after wrappers, or undefined when it cannot be known.
 */
export function checkCommand(argv: readonly Arg[], scan: Scan, stdin?: Stdin): string | undefined {
  let words = argv;
  for (let hops = 0; hops < 16 && words.length > 0; hops++) {
    const head = words[0] as Arg;
    if (!head.literal) {
      scan.hit('unknownCommand', head.text);
      return undefined;
    }
    const name = commandName(head.text);
    const args = words.slice(1);
    if (name === 'env' && args.some((a) => a.text === '-S' || a.text.startsWith('--split-string')))
      return splitString(args, scan);
    const skip = WRAPPERS[name];
    if (skip === undefined) {
      checkSimple(name, args, scan, stdin);
      return name;
    }
    if (name === 'sudo' || name === 'doas') scan.hit('admin', name);
    const at = skip(args);
    if (at < 0) return name;
    words = args.slice(at);
  }
  return undefined;
}

function splitString(args: readonly Arg[], scan: Scan): undefined {
  const at = args.findIndex((a) => a.text === '-S' || a.text.startsWith('--split-string'));
  const flag = args[at] as Arg;
  const value = flag.text.includes('=') ? flag : args[at + 1];
  if (value?.literal)
    scan.nested(
      'posix',
      `${value.text.slice(value.text.indexOf('=') + 1)} ${args
        .slice(at + 2)
        .map((a) => a.text)
        .join(' ')}`,
    );
  else scan.hit('unknownCode', `env ${flag.text}`);
  return undefined;
}

function checkSimple(name: string, args: readonly Arg[], scan: Scan, stdin?: Stdin): void {
  if (SHELLS.test(name)) return shell(name, args, scan, stdin);
  if (inlineCode(name, args, scan, stdin)) return;
  switch (name) {
    case 'cd':
    case 'pushd':
      return scan.changeDirectory(operands(args)[0]);
    case 'popd':
      return scan.changeDirectory({ text: '-', literal: false, prefix: '' });
    case 'eval':
      return evaluate(args, scan);
    case 'source':
    case '.':
      if (args.some(fetches)) scan.hit('networkScript', `${name} ${args[0]?.text ?? ''}`);
      return;
    case 'alias':
      // An alias is read when defined: later commands only show its name.
      for (const arg of args) {
        const eq = arg.text.indexOf('=');
        if (arg.literal && eq > 0) scan.nested('posix', arg.text.slice(eq + 1));
      }
      return;
    case 'rimraf':
      scan.hit('rmRecursiveForce', 'rimraf');
      return writesAll(args, scan);
    case 'rm':
      if (hasFlag(args, 'rR', ['--recursive']) && hasFlag(args, 'f', ['--force']))
        scan.hit('rmRecursiveForce');
      return writesAll(args, scan);
    case 'find':
      return find(args, scan);
    case 'git':
      return git(args, scan);
    case 'dd':
      return dd(args, scan);
    case 'shred':
      scan.hit('shred');
      return writesAll(args, scan);
    case 'truncate':
      scan.hit('truncate');
      return writesAll(args, scan, ['-s', '-r', '--size', '--reference']);
    case 'mkswap':
    case 'mke2fs':
    case 'wipefs':
      return scan.hit('format', name);
    case 'cp':
    case 'install':
    case 'rsync':
    case 'scp':
    case 'ln':
    case 'link':
      return writesTarget(name, args, scan);
    case 'mv':
    case 'rmdir':
    case 'unlink':
    case 'touch':
    case 'mkdir':
    case 'tee':
    case 'mkfifo':
    case 'mknod':
      return writesAll(args, scan, ['-m', '--mode', '-d', '--date', '-r', '--reference', '-t']);
    case 'chmod':
    case 'chown':
    case 'chgrp': {
      const paths = operands(args);
      // The first operand is the mode or owner, unless --reference names a file instead.
      for (const arg of args.some((a) => a.text.startsWith('--reference')) ? paths : paths.slice(1))
        scan.write(arg);
      return;
    }
    case 'sed':
      if (hasFlag(args, 'i', ['--in-place'])) {
        const scripted = args.some((a) => ['-e', '-f', '--expression', '--file'].includes(a.text));
        const files = operands(args, ['-e', '-f', '-l', '--expression', '--file']);
        for (const arg of scripted ? files : files.slice(1)) scan.write(arg);
      }
      return;
  }
  if (name.startsWith('mkfs')) scan.hit('format', name);
}

function writesAll(args: readonly Arg[], scan: Scan, withValue: readonly string[] = []): void {
  for (const arg of operands(args, withValue)) scan.write(arg);
}

/** cp, ln, install, rsync: only the destination (the last operand, or `-t DIR`) is written. */
function writesTarget(name: string, args: readonly Arg[], scan: Scan): void {
  const at = args.findIndex((a) => a.text === '-t' || a.text.startsWith('--target-directory'));
  if (at >= 0) {
    const flag = args[at] as Arg;
    const dir = flag.text.includes('=')
      ? { ...flag, text: flag.text.slice(flag.text.indexOf('=') + 1) }
      : args[at + 1];
    if (dir) scan.write(dir);
    return;
  }
  const paths = operands(args, ['-e', '-S', '-m', '-o', '-g', '-i', '-P']);
  // `install -d a b` makes every operand a folder.
  const written =
    name === 'install' && hasFlag(args, 'd', ['--directory']) ? paths : paths.slice(-1);
  for (const arg of written) {
    // host:path is another machine's path (rsync, scp).
    if (!/^[\w.@-]{2,}:/.test(arg.text)) scan.write(arg);
  }
}

function shell(name: string, args: readonly Arg[], scan: Scan, stdin?: Stdin): void {
  let command = -1;
  let script: Arg | undefined;
  for (let i = 0; i < args.length; i++) {
    const { text } = args[i] as Arg;
    if (text === '-o' || text === '+o' || text === '--rcfile' || text === '--init-file') i++;
    else if (/^[-+][A-Za-z]*c[A-Za-z]*$/.test(text) && !text.startsWith('--')) command = i;
    else if (text === '-' || text === '--') continue;
    else if (!isOption(args[i] as Arg)) {
      script = args[i];
      break;
    }
  }
  if (command >= 0) {
    const text = args.slice(command + 1).find((a) => !isOption(a));
    if (text?.literal) scan.nested('posix', text.text);
    else if (text !== undefined) {
      if (fetches(text)) scan.hit('networkScript', `${name} -c ${text.text}`);
      scan.hit('unknownCode', `${name} -c ${text.text}`);
    }
    return;
  }
  if (script !== undefined) {
    if (fetches(script)) scan.hit('networkScript', `${name} ${script.text}`);
    return;
  }
  if (stdin?.kind === 'network') scan.hit('networkScript', `… | ${name}`);
  else if (stdin?.kind === 'pipe') scan.hit('unknownCode', `… | ${name}`);
  else if (stdin?.kind === 'text') {
    if (stdin.text === undefined) scan.hit('unknownCode', `${name} <<<`);
    else scan.nested('posix', stdin.text);
  }
}

function evaluate(args: readonly Arg[], scan: Scan): void {
  if (args.every((a) => a.literal)) {
    scan.nested('posix', args.map((a) => a.text).join(' '));
    return;
  }
  const text = args.map((a) => a.text).join(' ');
  if (args.some(fetches)) scan.hit('networkScript', `eval ${text}`);
  scan.hit('unknownCode', `eval ${text}`);
}

function find(args: readonly Arg[], scan: Scan): void {
  for (let i = 0; i < args.length; i++) {
    const { text } = args[i] as Arg;
    if (text === '-delete') scan.hit('findDelete', 'find -delete');
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(text)) continue;
    let end = i + 1;
    while (end < args.length && args[end]?.text !== ';' && args[end]?.text !== '+') end++;
    const inner = args.slice(i + 1, end);
    const ran = checkCommand(inner, scan);
    if (ran !== undefined && ['rm', 'rmdir', 'unlink', 'shred'].includes(ran))
      scan.hit('findDelete', `find ${text} ${ran}`);
    i = end;
  }
}

/** git's own options before the subcommand; those listed take a value. */
const GIT_VALUED = ['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env'];

function git(args: readonly Arg[], scan: Scan): void {
  let at = 0;
  while (at < args.length && isOption(args[at] as Arg)) {
    const option = (args[at] as Arg).text;
    // `git -c alias.x='!rm -rf …' x`: an alias starting with ! is a shell command.
    const value = args[at + 1];
    const alias =
      option === '-c' && value?.literal ? /^alias\.[^=]+=!(.*)$/s.exec(value.text) : null;
    if (alias) scan.nested('posix', alias[1] as string);
    at += GIT_VALUED.includes(option) ? 2 : 1;
  }
  const sub = args[at]?.text;
  const rest = args.slice(at + 1);
  const has = (...texts: string[]) => rest.some((a) => texts.includes(a.text));
  switch (sub) {
    case 'push':
      return scan.hit('gitPush');
    case 'reset':
      if (has('--hard')) scan.hit('gitResetHard');
      return;
    case 'clean':
      if (hasFlag(rest, 'f', ['--force']) && !hasFlag(rest, 'n', ['--dry-run']))
        scan.hit('gitClean');
      return;
    case 'checkout': {
      const dashes = rest.findIndex((a) => a.text === '--');
      if (has('-f', '--force', '.', ':/') || (dashes >= 0 && dashes < rest.length - 1))
        scan.hit('gitDiscard', 'git checkout');
      return;
    }
    case 'switch':
      if (has('-f', '--force', '--discard-changes')) scan.hit('gitDiscard', 'git switch');
      return;
    case 'restore':
      // Only `--staged` alone leaves the files alone (it unstages).
      if (!hasFlag(rest, 'S', ['--staged']) || hasFlag(rest, 'W', ['--worktree']))
        scan.hit('gitDiscard', 'git restore');
      return;
    case 'stash':
      if (rest[0]?.text === 'drop' || rest[0]?.text === 'clear') scan.hit('gitStashDrop');
      return;
  }
}

function dd(args: readonly Arg[], scan: Scan): void {
  for (const arg of args) {
    if (!arg.text.startsWith('of=')) continue;
    const target = { ...arg, text: arg.text.slice(3), prefix: arg.prefix.slice(3) };
    if (/^\/dev\/(?!null$|stdout$|stderr$|fd\/)/.test(target.text)) scan.hit('diskDevice');
    else {
      scan.hit('dd');
      scan.write(target);
    }
  }
}

export const isFetcher = (name: string | undefined) => name !== undefined && FETCHERS.has(name);
