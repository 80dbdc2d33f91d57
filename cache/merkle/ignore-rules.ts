/**
 * Which workspace paths the tree leaves out: `.git` and `node_modules`
 * anywhere, and whatever the `.gitignore` files (root and nested) and
 * `.git/info/exclude` say, with git's precedence (deeper files win, the last
 * matching line wins, nothing below an ignored folder comes back).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { ALWAYS_SKIPPED_NAMES } from '../limits.ts';
import { joinPath, ROOT_PATH, toAbsolute } from './paths.ts';

type Matcher = ReturnType<typeof ignore>;

/** Name of the per-folder rules file. */
export const GITIGNORE = '.gitignore';

/** Case-insensitive file systems are the default on Windows and macOS, as git assumes too. */
const IGNORE_CASE = process.platform === 'win32' || process.platform === 'darwin';

function readRules(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export class IgnoreRules {
  readonly #root: string;
  readonly #byFolder = new Map<string, Matcher>();

  constructor(root: string) {
    this.#root = root;
  }

  /** (Re)load the `.gitignore` of one folder; the root also takes `.git/info/exclude`. */
  loadFolder(folder: string): void {
    const texts: string[] = [];
    if (folder === ROOT_PATH) {
      const exclude = readRules(path.join(this.#root, '.git', 'info', 'exclude'));
      if (exclude !== undefined) texts.push(exclude);
    }
    const own = readRules(path.join(toAbsolute(this.#root, folder), GITIGNORE));
    if (own !== undefined) texts.push(own);
    if (texts.length === 0) {
      this.#byFolder.delete(folder);
      return;
    }
    this.#byFolder.set(folder, ignore({ ignorecase: IGNORE_CASE }).add(texts.join('\n')));
  }

  /** Forget the rules of a folder and of every folder below it (the folder is gone). */
  dropBelow(folder: string): void {
    for (const key of this.#byFolder.keys()) {
      if (folder === ROOT_PATH || key === folder || key.startsWith(folder + '/'))
        this.#byFolder.delete(key);
    }
  }

  /**
   * Whether a path is left out of the tree: itself or a folder above it is
   * ignored. `isFolder` matters because a pattern such as `build/` matches
   * folders only; pass `undefined` when the kind is unknown (a path that does
   * not exist yet) for the cautious answer: ignored if it would be as either kind.
   */
  isIgnored(relative: string, isFolder: boolean | undefined): boolean {
    if (relative === ROOT_PATH) return false;
    for (
      let slash = relative.indexOf('/');
      slash !== -1;
      slash = relative.indexOf('/', slash + 1)
    ) {
      if (this.isIgnoredChild(relative.slice(0, slash), true)) return true;
    }
    if (isFolder === undefined)
      return this.isIgnoredChild(relative, false) || this.isIgnoredChild(relative, true);
    return this.isIgnoredChild(relative, isFolder);
  }

  /**
   * Whether a path is ignored, given that its parent folder is not: the scan's
   * question for each entry it reads. Every rules file from the root down to
   * the parent is consulted; the deepest verdict wins, as in git.
   */
  isIgnoredChild(relative: string, isFolder: boolean): boolean {
    let ignored = false;
    let folder = ROOT_PATH;
    let rest = relative;
    for (;;) {
      const slash = rest.indexOf('/');
      const head = slash === -1 ? rest : rest.slice(0, slash);
      if (ALWAYS_SKIPPED_NAMES.has(head)) return true;
      const matcher = this.#byFolder.get(folder);
      if (matcher !== undefined) {
        const verdict = matcher.test(isFolder ? rest + '/' : rest);
        if (verdict.ignored) ignored = true;
        else if (verdict.unignored) ignored = false;
      }
      if (slash === -1) return ignored;
      folder = joinPath(folder, head);
      rest = rest.slice(slash + 1);
    }
  }
}
