/**
 * Interpreters running code given on their command line (`python3 -c`,
 * `node -e`, `perl -e`, `ruby -e`, `php -r`): the code is looked at for calls
 * that delete files or run shell commands. Code fed on standard input (a
 * here-document, a download) cannot be looked at, so it asks.
 */
import type { Arg, Scan, Stdin } from './scan.ts';

interface Interpreter {
  /** Short options whose value is code (`-c`, `-e`). */
  readonly letters: string;
  /** Long options whose value is code. */
  readonly long: readonly string[];
  /** Whether backticks and qx// run shell commands in this language. */
  readonly backticks: boolean;
}

const INTERPRETERS: readonly (readonly [RegExp, Interpreter])[] = [
  [/^(?:python|pypy)[\d.]*$/, { letters: 'c', long: [], backticks: false }],
  [/^(?:node|nodejs|bun)$/, { letters: 'ep', long: ['--eval', '--print'], backticks: false }],
  [/^deno$/, { letters: '', long: ['eval'], backticks: false }],
  [/^perl[\d.]*$/, { letters: 'eE', long: [], backticks: true }],
  [/^ruby[\d.]*$/, { letters: 'e', long: [], backticks: true }],
  [/^php[\d.]*$/, { letters: 'r', long: [], backticks: true }],
];

/** Calls that delete files, in Python, JavaScript, Perl, Ruby, PHP. Alternatives only: linear. */
const DELETES =
  /\b(?:rmtree|removedirs|unlinkSync|rmSync|rmdirSync|rm_rf|rm_r|rm_f|remove_dir_all|remove_file|remove_tree|remove_entry|unlink|rmdir|FileUtils)\b|\bos\s*\.\s*remove\b|\b(?:fs|fsp|promises)\s*\.\s*rm\b|\bFile\s*\.\s*delete\b/;
/** Calls that run shell commands. */
const RUNS =
  /\b(?:subprocess|child_process|execSync|execFileSync|spawnSync|shell_exec|passthru|proc_open|popen)\b|\bos\s*\.\s*(?:system|popen|exec|spawn)|\b(?:system|exec)\s*[("'`]|\bKernel\s*\.\s*(?:system|exec|spawn)\b|\bBun\s*\.\s*spawn|\bDeno\s*\.\s*(?:run|Command)\b/;
const BACKTICKS = /`|\bqx\W|%x[({[]/;

/** Handles `name` when it is an interpreter; false when it is not one. */
export function inlineCode(name: string, args: readonly Arg[], scan: Scan, stdin?: Stdin): boolean {
  const spec = INTERPRETERS.find(([pattern]) => pattern.test(name))?.[1];
  if (spec === undefined) return false;
  const codes: Arg[] = [];
  const operands: Arg[] = [];
  let inPlace = false;
  // Every word is looked at: options with values (`-W ignore`) would otherwise hide a later `-c`.
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as Arg;
    const { text } = arg;
    if (text === '--' || text === '-') break;
    if (spec.long.includes(text)) {
      const code = args[++i];
      if (code) codes.push(code);
      continue;
    }
    const long = spec.long.find((l) => l.startsWith('--') && text.startsWith(`${l}=`));
    if (long !== undefined) {
      codes.push({ ...arg, text: text.slice(long.length + 1), prefix: '' });
      continue;
    }
    if (text.startsWith('--')) continue;
    if (/^-[A-Za-z]/.test(text)) {
      if (name.startsWith('perl') && /^-[a-zA-Z]*i/.test(text)) inPlace = true;
      const at = [...text.slice(1)].findIndex((c) => spec.letters.includes(c));
      if (at < 0) continue;
      // The code is the rest of the word (`-cprint(1)`), or the next word.
      const rest = text.slice(at + 2);
      const code = rest !== '' ? { ...arg, text: rest, prefix: '' } : args[++i];
      if (code) codes.push(code);
      continue;
    }
    operands.push(arg);
  }
  for (const code of codes) checkCode(name, code, spec, scan);
  if (inPlace) for (const file of operands) scan.write(file);
  // With no code given, the first operand is a script file: it runs, unread, like `./script`.
  if (codes.length > 0 || operands.length > 0) return true;
  if (stdin?.kind === 'network') scan.hit('networkScript', `… | ${name}`);
  else if (stdin?.kind === 'pipe') scan.hit('unknownCode', `… | ${name}`);
  else if (stdin?.kind === 'text') scan.hit('unknownCode', `a here-document fed to ${name}`);
  return true;
}

function checkCode(name: string, code: Arg, spec: Interpreter, scan: Scan): void {
  if (!code.literal) {
    scan.hit('unknownCode', `${name} code built from variables`);
    return;
  }
  if (DELETES.test(code.text)) scan.hit('inlineDelete', `${name} code`);
  if (RUNS.test(code.text) || (spec.backticks && BACKTICKS.test(code.text)))
    scan.hit('inlineShell', `${name} code`);
}
