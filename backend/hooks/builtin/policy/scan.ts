/**
 * What one analysis of a command has found so far: the rules it hit, the paths
 * it writes outside the workspace, and the folder later commands run in (after
 * `cd`). Shared by the bash and PowerShell readers; turned into one decision.
 */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import type { ToolDecision } from '../../runner.ts';
import { RULES, type RuleId } from './rules.ts';

/** How the agent's shell reads commands. `cmd` only occurs inside `cmd /c` (and in tests). */
export type PolicyDialect = 'posix' | 'powershell' | 'cmd';

/** Longer commands ask without being read: reading stays cheap and bounded. */
export const MAX_COMMAND_LENGTH = 100_000;
/** Commands inside commands (`bash -c "bash -c …"`, eval, cmd /c) read at most this deep. */
export const MAX_NESTING = 8;
/** Syntax nesting (subshells, substitutions, blocks) walked at most this deep. */
export const MAX_DEPTH = 300;
/**
 * Text read in all, counting nested text again at each level it is read
 * (the parser reads a substitution when it is first visited): keeps the work
 * linear in the command's length however it is nested.
 */
export const MAX_READ = 4 * MAX_COMMAND_LENGTH;

/** One word of a command as the reader understood it. */
export interface Arg {
  /** The word without quotes when `literal`; else its source text. */
  readonly text: string;
  /** False when the word holds a variable, a substitution or an expression. */
  readonly literal: boolean;
  /** The literal text before the first expansion (all of it when literal). */
  readonly prefix: string;
}

export const literalArg = (text: string): Arg => ({ text, literal: true, prefix: text });

export type Analyser = (source: string, scan: Scan) => void;

/** Targets that store nothing: writing them is harmless wherever they are. */
const HARMLESS = /^(?:\/dev\/(?:null|stdout|stderr|tty|fd\/\d+)|\$null|nul)$/i;
/** Expansions that name the user's home or temp folders: outside any workspace. */
const OUTSIDE_VARIABLE =
  /^(?:~|\$\{?(?:HOME|TMPDIR)\b|\$env:(?:USERPROFILE|HOME|HOMEPATH|TEMP|TMP|APPDATA|LOCALAPPDATA|SystemRoot|windir|ProgramFiles)\b)/i;
const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\)/;

export class Scan {
  readonly workDir: string;
  readonly #path: typeof posix;
  readonly #analysers: Record<PolicyDialect, Analyser>;
  readonly #hits = new Map<RuleId, string[]>();
  readonly #outside: string[] = [];
  /** Where later commands run; undefined after `cd` to a folder only known at run time. */
  cwd: string | undefined;
  /** Syntax depth of the walk in progress (see {@link MAX_DEPTH}). */
  depth = 0;
  #nesting = 0;
  #read = 0;

  constructor(workDir: string, analysers: Record<PolicyDialect, Analyser>) {
    this.workDir = workDir;
    this.#path = WINDOWS_ABSOLUTE.test(workDir) ? win32 : posix;
    this.#analysers = analysers;
    this.cwd = workDir;
  }

  hit(rule: RuleId, detail: string = RULES[rule].what): void {
    const details = this.#hits.get(rule) ?? [];
    const short = detail.length > 60 ? `${detail.slice(0, 57)}…` : detail;
    if (!details.includes(short) && details.length < 5) details.push(short);
    this.#hits.set(rule, details);
  }

  has(rule: RuleId): boolean {
    return this.#hits.has(rule);
  }

  /** Counts `length` more characters read; false (and asks) once over {@link MAX_READ}. */
  read(length: number): boolean {
    this.#read += length;
    if (this.#read <= MAX_READ) return true;
    this.hit('unparsable', 'too much nested text');
    return false;
  }

  /** Reads a command held in a command (`bash -c`, eval, `cmd /c`), bounded in depth. */
  nested(dialect: PolicyDialect, source: string): void {
    if (this.#nesting >= MAX_NESTING) {
      this.hit('unparsable', 'commands nested too deeply');
      return;
    }
    if (!this.read(source.length)) return;
    this.#nesting++;
    const cwd = this.cwd;
    try {
      this.#analysers[dialect](source, this);
    } finally {
      this.#nesting--;
      this.cwd = cwd;
    }
  }

  /** Notes a path the command writes; asks when it is outside the workspace. */
  write(arg: Arg): void {
    if (HARMLESS.test(arg.text)) return;
    if (OUTSIDE_VARIABLE.test(arg.text)) {
      this.#addOutside(arg.text);
      return;
    }
    if (!arg.literal) {
      // Where `$dir/x` points is only known at run time; the literal start may already tell.
      const start = arg.prefix.slice(0, Math.max(arg.prefix.lastIndexOf('/'), 0) + 1);
      if (start !== '' && this.#isOutside(start)) this.#addOutside(arg.text);
      return;
    }
    if (this.cwd === undefined && !this.#isAbsolute(arg.text)) {
      this.hit('unknownDirectory', arg.text);
      return;
    }
    if (this.#isOutside(arg.text)) this.#addOutside(arg.text);
  }

  /** Changes the folder later relative paths resolve against (`cd`, `Set-Location`). */
  changeDirectory(arg: Arg | undefined): void {
    if (arg === undefined) this.cwd = homedir();
    else if (!arg.literal || arg.text === '-' || this.cwd === undefined) this.cwd = undefined;
    else this.cwd = this.#resolve(arg.text);
  }

  get outside(): string[] {
    return [...this.#outside];
  }

  decision(): ToolDecision | undefined {
    const reasons: string[] = [];
    for (const id of Object.keys(RULES) as RuleId[]) {
      const details = this.#hits.get(id);
      if (details === undefined) continue;
      const rule = RULES[id];
      const reason = `${rule.why} (${details.join(', ')})`;
      if (rule.decision === 'deny')
        return { action: 'deny', reason: `Blocked by policy: ${reason}` };
      reasons.push(reason);
    }
    if (this.#outside.length > 0)
      reasons.push(`${RULES.writesOutside.why} (${this.#outside.join(', ')})`);
    return reasons.length > 0 ? { action: 'ask', reason: reasons.join('; ') } : undefined;
  }

  #addOutside(path: string): void {
    if (!this.#outside.includes(path) && this.#outside.length < 10) this.#outside.push(path);
  }

  #isAbsolute(path: string): boolean {
    return path.startsWith('~') || this.#path.isAbsolute(path) || WINDOWS_ABSOLUTE.test(path);
  }

  #resolve(path: string): string {
    const home = path === '~' || path.startsWith('~/') || path.startsWith('~\\');
    return home
      ? this.#path.resolve(homedir(), path.slice(2))
      : this.#path.resolve(this.cwd ?? this.workDir, path);
  }

  #isOutside(path: string): boolean {
    // A Windows path under a POSIX workspace (or the reverse) cannot be inside it.
    if (this.#path === posix && WINDOWS_ABSOLUTE.test(path)) return true;
    const rel = this.#path.relative(this.workDir, this.#resolve(path));
    return rel === '..' || rel.startsWith(`..${this.#path.sep}`) || this.#path.isAbsolute(rel);
  }
}

/** What a command reads on its standard input, when that may be code it runs. */
export type Stdin =
  | { readonly kind: 'network' }
  /** The output of the command before it in a pipe. */
  | { readonly kind: 'pipe' }
  /** A here-document or here-string: its text, or undefined when built from variables. */
  | { readonly kind: 'text'; readonly text: string | undefined };
