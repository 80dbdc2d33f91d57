/**
 * Claude Code's permission rules, read from the files Claude Code reads them
 * from and applied by Troika's approval gate beside its own rules:
 *
 * - `~/.claude/settings.json` (user), `.claude/settings.json` (project,
 *   checked in), `.claude/settings.local.json` (local, git-ignored: read from
 *   the user's own checkout when the agent works in a worktree);
 * - `permissions.allow`, `permissions.ask`, `permissions.deny`: `Tool` or
 *   `Tool(specifier)`, e.g. `Bash(npm run test:*)`, `Read(./.env)`, `Edit(src/**)`.
 *
 * As in Claude Code, the files' rules are merged and a deny beats an ask
 * beats an allow, whichever file holds it. `Bash(x:*)` matches a command
 * starting with `x`, `Bash(x)` the command `x` exactly, and `*` elsewhere in
 * the specifier any text (`Bash(npm run test:*)` covers `npm run test:unit`). An allow only covers a single command: `npm test &&
 * curl …` is not allowed by `Bash(npm test:*)`, while a deny or ask matches
 * any command of a chain. Path specifiers are gitignore-style globs: `//p` is
 * absolute, `~/p` under the home folder, `/p` relative to the settings file's
 * project, `p` and `./p` relative to the working folder. `Read` rules cover
 * every reading tool (view, list_files, search_files), `Edit` and `Write`
 * rules every editing one. Rules for tools Troika lacks (WebFetch, mcp__…)
 * are listed with a note and otherwise ignored.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import {
  BASH_TOOL_NAME,
  EDITOR_TOOL_NAME,
  LIST_TOOL_NAME,
  SEARCH_TOOL_NAME,
} from '../../../protocol/tool-names.ts';

export type PermissionDecision = 'allow' | 'ask' | 'deny';
export type PermissionScope = 'user' | 'project' | 'local';

export interface PermissionRule {
  /** As written: `Bash(npm run test:*)`. */
  readonly rule: string;
  readonly decision: PermissionDecision;
  readonly scope: PermissionScope;
  /** The settings file it came from. */
  readonly source: string;
  /** Set when Troika cannot apply it (a tool it lacks, a malformed rule). */
  readonly note?: string;
}

interface Parsed {
  readonly tool: string;
  readonly specifier: string | undefined;
}

const RULE = /^([A-Za-z_][\w-]*)(?:\((.*)\))?$/s;
const KNOWN_TOOLS = new Set(['Bash', 'Read', 'Edit', 'Write', 'MultiEdit', 'Glob', 'Grep', 'LS']);
/** A shell operator: a command holding one is more than the one command an allow rule names. */
const CHAIN = /;|&&|\|\||\||`|\$\(|>|<|\n/;

function parseRule(rule: string): Parsed | undefined {
  const match = RULE.exec(rule.trim());
  if (match === null) return undefined;
  const specifier = match[2]?.trim();
  return { tool: match[1] ?? '', specifier: specifier === '' ? undefined : specifier };
}

/** Why Troika cannot apply `rule`, if it cannot. */
function noteFor(rule: string): string | undefined {
  const parsed = parseRule(rule);
  if (parsed === undefined) return 'not a rule of the form Tool or Tool(specifier); ignored';
  if (!KNOWN_TOOLS.has(parsed.tool)) return `Troika has no ${parsed.tool} tool; ignored`;
  return undefined;
}

/** Which rule family a Troika call belongs to, and the path or command it names. */
function callOf(
  toolName: string,
  input: unknown,
): { family: 'Bash' | 'Read' | 'Edit'; subject: string | undefined } | undefined {
  const fields = (input ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof fields[key] === 'string' ? fields[key] : undefined);
  switch (toolName) {
    case BASH_TOOL_NAME:
      return { family: 'Bash', subject: text('command') };
    case LIST_TOOL_NAME:
    case SEARCH_TOOL_NAME:
      return { family: 'Read', subject: text('path') ?? '.' };
    case EDITOR_TOOL_NAME:
      return { family: fields['command'] === 'view' ? 'Read' : 'Edit', subject: text('path') };
  }
  return undefined;
}

function familyOf(tool: string): 'Bash' | 'Read' | 'Edit' | undefined {
  if (tool === 'Bash') return 'Bash';
  if (tool === 'Read' || tool === 'Glob' || tool === 'Grep' || tool === 'LS') return 'Read';
  if (tool === 'Edit' || tool === 'Write' || tool === 'MultiEdit') return 'Edit';
  return undefined;
}

function commandMatches(specifier: string, command: string, decision: PermissionDecision): boolean {
  const trimmed = command.trim();
  // An allow covers one command; a deny or ask catches the command anywhere in a chain.
  const commands =
    decision === 'allow'
      ? CHAIN.test(trimmed)
        ? []
        : [trimmed]
      : trimmed.split(/;|&&|\|\||\||\n/).map((part) => part.trim());
  const prefix = specifier.endsWith(':*') ? specifier.slice(0, -2) : undefined;
  return commands.some((one) => {
    if (prefix !== undefined) return one.startsWith(prefix);
    if (!specifier.includes('*')) return one === specifier;
    const pattern = specifier
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${pattern}$`, 's').test(one);
  });
}

export interface PathContext {
  readonly workDir: string;
  /** The project folder a `/p` specifier is relative to. */
  readonly projectDir: string;
  readonly homeDir: string | undefined;
}

function pathMatches(specifier: string, path: string, where: PathContext): boolean {
  const target = resolve(where.workDir, path);
  let base: string;
  let pattern: string;
  if (specifier.startsWith('//')) [base, pattern] = [sep, specifier.slice(2)];
  else if (specifier.startsWith('~/') && where.homeDir !== undefined)
    [base, pattern] = [where.homeDir, specifier.slice(2)];
  else if (specifier.startsWith('/')) [base, pattern] = [where.projectDir, specifier.slice(1)];
  else [base, pattern] = [where.workDir, specifier.replace(/^\.\//, '')];
  const rel = relative(base, target).split(sep).join('/');
  if (rel.startsWith('..') || isAbsolute(rel)) return false;
  // gitignore-style: a pattern without a slash matches the name at any depth.
  const glob = pattern.includes('/') ? pattern : `**/${pattern}`;
  return picomatch(glob, { dot: true })(rel === '' ? '.' : rel);
}

/** Whether `rule` covers the Troika call. */
export function ruleMatches(
  rule: PermissionRule,
  toolName: string,
  input: unknown,
  where: PathContext,
): boolean {
  if (rule.note !== undefined) return false;
  const parsed = parseRule(rule.rule);
  const call = callOf(toolName, input);
  if (parsed === undefined || call === undefined || familyOf(parsed.tool) !== call.family)
    return false;
  if (parsed.specifier === undefined) return true;
  if (call.subject === undefined) return false;
  return call.family === 'Bash'
    ? commandMatches(parsed.specifier, call.subject, rule.decision)
    : pathMatches(parsed.specifier, call.subject, where);
}

const STRICTNESS: Record<PermissionDecision, number> = { allow: 0, ask: 1, deny: 2 };

/** The strictest rule covering the call, or `undefined` when none does. */
export function decide(
  rules: readonly PermissionRule[],
  toolName: string,
  input: unknown,
  where: PathContext,
): PermissionRule | undefined {
  let found: PermissionRule | undefined;
  for (const rule of rules) {
    if (!ruleMatches(rule, toolName, input, where)) continue;
    if (found === undefined || STRICTNESS[rule.decision] > STRICTNESS[found.decision]) found = rule;
  }
  return found;
}

/** The rules of one settings file (none when it does not exist); a broken file is a note. */
export function readPermissionFile(
  file: string,
  scope: PermissionScope,
): { rules: PermissionRule[]; problem?: string } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { rules: [] };
    return { rules: [], problem: `${file}: ${(error as Error).message}` };
  }
  const permissions = (value as { permissions?: unknown } | null)?.permissions;
  if (permissions === undefined) return { rules: [] };
  const rules: PermissionRule[] = [];
  for (const decision of ['deny', 'ask', 'allow'] as const) {
    const list = (permissions as Record<string, unknown>)[decision];
    if (list === undefined) continue;
    if (!Array.isArray(list))
      return { rules, problem: `${file}: permissions.${decision} must be a list of rules` };
    for (const rule of list) {
      if (typeof rule !== 'string') continue;
      const note = noteFor(rule);
      rules.push({ rule, decision, scope, source: file, ...(note !== undefined && { note }) });
    }
  }
  return { rules };
}

/** The user's checkout a git worktree belongs to: `.git` there is a file naming `<repo>/.git/worktrees/<name>`. */
export function checkoutOf(worktree: string): string | undefined {
  try {
    const pointer = readFileSync(join(worktree, '.git'), 'utf8');
    const gitDir = /^gitdir:\s*(.+)$/m.exec(pointer)?.[1]?.trim();
    if (gitDir === undefined) return undefined;
    const match = /^(.*)[\\/]\.git[\\/]worktrees[\\/][^\\/]+$/.exec(resolve(worktree, gitDir));
    return match?.[1];
  } catch {
    return undefined;
  }
}

/** The settings files for a project folder, lowest precedence first, as Claude Code lists them. */
export function settingsFiles(
  projectDir: string | undefined,
  homeDir: string | undefined,
): Array<{ file: string; scope: PermissionScope }> {
  const files: Array<{ file: string; scope: PermissionScope }> = [];
  if (homeDir !== undefined)
    files.push({ file: join(homeDir, '.claude', 'settings.json'), scope: 'user' });
  if (projectDir !== undefined) {
    const checkout = checkoutOf(projectDir) ?? projectDir;
    files.push({ file: join(projectDir, '.claude', 'settings.json'), scope: 'project' });
    files.push({ file: join(checkout, '.claude', 'settings.local.json'), scope: 'local' });
  }
  return files;
}

/** Every rule for `projectDir` (none: the user's only), merged, with the problems found. */
export function loadPermissionRules(
  projectDir: string | undefined,
  homeDir: string | undefined,
): { rules: PermissionRule[]; problems: string[] } {
  const rules: PermissionRule[] = [];
  const problems: string[] = [];
  for (const { file, scope } of settingsFiles(projectDir, homeDir)) {
    const read = readPermissionFile(file, scope);
    rules.push(...read.rules);
    if (read.problem !== undefined) problems.push(read.problem);
  }
  return { rules, problems };
}

/**
 * The rules per project folder, re-read when a settings file changes (a
 * stat per file per call: a person editing the rules sees them apply at once).
 * Where a working folder's project and settings files are is worked out once
 * per folder (an agent's folder keeps its repository): that walk up the tree
 * and the worktree's `.git` pointer were half the policy's time per call.
 */
export class ClaudePermissions {
  readonly #homeDir: string | undefined;
  readonly #cache = new Map<string, { stamp: string; rules: PermissionRule[] }>();
  readonly #places = new Map<
    string,
    { projectDir: string; files: Array<{ file: string; scope: PermissionScope }> }
  >();

  constructor(options: { homeDir?: string | undefined } = {}) {
    this.#homeDir = options.homeDir;
  }

  get homeDir(): string | undefined {
    return this.#homeDir;
  }

  rules(projectDir: string): PermissionRule[] {
    return this.#rules(projectDir, settingsFiles(projectDir, this.#homeDir));
  }

  #rules(
    projectDir: string,
    files: ReadonlyArray<{ file: string; scope: PermissionScope }>,
  ): PermissionRule[] {
    const stamp = files
      .map(({ file }) => {
        try {
          // No throw for a missing file (the usual case): an exception per call costs more than the stat.
          const info = statSync(file, { throwIfNoEntry: false });
          return info === undefined ? '-' : `${info.mtimeMs}:${info.size}`;
        } catch {
          return '-';
        }
      })
      .join('|');
    const cached = this.#cache.get(projectDir);
    if (cached?.stamp === stamp) return cached.rules;
    const { rules } = loadPermissionRules(projectDir, this.#homeDir);
    this.#cache.set(projectDir, { stamp, rules });
    return rules;
  }

  /** The strictest rule covering a call in `workDir`, if any. */
  decide(workDir: string, toolName: string, input: unknown): PermissionRule | undefined {
    let place = this.#places.get(workDir);
    if (place === undefined) {
      const projectDir = projectRootOf(workDir);
      place = { projectDir, files: settingsFiles(projectDir, this.#homeDir) };
      this.#places.set(workDir, place);
    }
    const { projectDir } = place;
    return decide(this.#rules(projectDir, place.files), toolName, input, {
      workDir,
      projectDir,
      homeDir: this.#homeDir,
    });
  }
}

/**
 * The project a working folder belongs to: the nearest folder at or above it
 * with a `.claude` folder or a `.git` (a subfolder of a repository is still
 * the repository's project); `workDir` itself when there is none.
 */
export function projectRootOf(workDir: string): string {
  let dir = workDir;
  for (;;) {
    if (existsSync(join(dir, '.claude')) || existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return workDir;
    dir = parent;
  }
}
