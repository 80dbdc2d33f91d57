/**
 * Another git process holding a lock: several agents, a merge and a gate
 * touch one repository at once, and git refuses rather than waits when the
 * index, the config or a ref is locked ("Unable to create '….lock': File
 * exists"). git fails before it changes what it could not lock, so the
 * command is run again after a short, jittered wait, a bounded number of
 * times. A lock still held after that (a crashed git left it) ends in git's
 * own message, which says which file to remove.
 *
 * The same holds for a worktree another git is adding: its admin folder
 * (`.git/worktrees/<name>/`) exists before its files are written, and a
 * git that reads every worktree (`worktree add`, `worktree list`,
 * `branch -D`) dies on the empty file ("failed to read …/commondir:
 * Success"). Such a command is run again too, and this process itself adds
 * and removes worktrees of one repository one at a time
 * ({@link oneWorktreeChangeAt}), so it never meets its own half-written one.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** git's messages for a lock file another process holds (index, HEAD, a ref, packed-refs, config). */
const HELD_LOCK =
  /Unable to create '[^'\n]+\.lock': File exists|could not lock config file [^\n]+: File exists/;

/** git's message for another worktree's admin file read while that worktree is being added. */
const HALF_WRITTEN_WORKTREE =
  /failed to read [^\n]*worktrees\/[^\n/]+\/(?:commondir|gitdir|HEAD)\b/;

/** Tries in all (about 2 s of waiting before the last). */
export const GIT_LOCK_TRIES = 8;
const FIRST_WAIT_MS = 25;
const LONGEST_WAIT_MS = 500;

/** Whether git's error output says a lock was held by another process. */
export function isHeldLock(stderr: string): boolean {
  return HELD_LOCK.test(stderr);
}

/** Whether git died reading a worktree another git was adding. */
export function isHalfWrittenWorktree(stderr: string): boolean {
  return HALF_WRITTEN_WORKTREE.test(stderr);
}

export interface LockRetryOptions {
  /** Told before each wait: which try failed and how long the wait is. */
  readonly onLockWait?: (attempt: number, waitMs: number, stderr: string) => void;
  readonly tries?: number;
}

/**
 * Runs `attempt` until it succeeds, fails for another reason, or the tries
 * run out. `stderrOf` reads git's error output from what `attempt` threw.
 */
export async function retryOnHeldLock<T>(
  attempt: () => Promise<T>,
  stderrOf: (error: unknown) => string,
  options: LockRetryOptions = {},
): Promise<T> {
  const tries = options.tries ?? GIT_LOCK_TRIES;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const stderr = stderrOf(error);
      if (i >= tries || !(isHeldLock(stderr) || isHalfWrittenWorktree(stderr))) throw error;
      const base = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (i - 1));
      const waitMs = Math.round(base / 2 + Math.random() * base);
      options.onLockWait?.(i, waitMs, stderr);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** Whether a git command adds, moves or removes worktrees (writes `.git/worktrees/`). */
export function isWorktreeChange(args: readonly string[]): boolean {
  return args[0] === 'worktree' && ['add', 'remove', 'move', 'prune'].includes(args[1] ?? '');
}

/**
 * The repository's common git folder, the one `.git/worktrees/` lives in,
 * for any folder in it: its main checkout, a subfolder, one of its
 * worktrees, however spelled (a symlinked temp folder, a relative path).
 * Read from the `.git` entries on the way up, without starting git; a
 * folder in no repository is its own key.
 */
export function repositoryKey(folder: string): string {
  let dir: string;
  try {
    dir = realpathSync.native(folder);
  } catch {
    return resolve(folder);
  }
  for (let at = dir; ; at = dirname(at)) {
    const dotGit = join(at, '.git');
    const found = statSync(dotGit, { throwIfNoEntry: false });
    if (found?.isDirectory()) return dotGit;
    if (found)
      try {
        // A worktree: `.git` is a file naming its admin folder, whose `commondir` names the common one.
        const admin = resolve(
          at,
          readFileSync(dotGit, 'utf8')
            .replace(/^gitdir:\s*/, '')
            .trim(),
        );
        const common = readFileSync(join(admin, 'commondir'), 'utf8').trim();
        return realpathSync.native(resolve(admin, common));
      } catch {
        return dir;
      }
    if (dirname(at) === at) return dir;
  }
}

/** Repository → the last worktree change queued for it. */
const worktreeQueues = new Map<string, Promise<unknown>>();

/**
 * Runs `change` once every worktree change queued before it for this
 * repository has settled: agents started side by side, a plan's gate
 * worktrees and the ledger's removals never write `.git/worktrees/` at once.
 */
export function oneWorktreeChangeAt<T>(repo: string, change: () => Promise<T>): Promise<T> {
  const key = repositoryKey(repo);
  const next = (worktreeQueues.get(key) ?? Promise.resolve()).catch(() => undefined).then(change);
  worktreeQueues.set(key, next);
  const forget = () => {
    if (worktreeQueues.get(key) === next) worktreeQueues.delete(key);
  };
  next.then(forget, forget);
  return next;
}

/**
 * How every git command of the product runs: a worktree change in its
 * repository's turn, and tried again while another git holds a lock it needs.
 */
export function runGitCommand<T>(
  cwd: string,
  args: readonly string[],
  attempt: () => Promise<T>,
  stderrOf: (error: unknown) => string,
  options: LockRetryOptions = {},
): Promise<T> {
  const once = () => retryOnHeldLock(attempt, stderrOf, options);
  return isWorktreeChange(args) ? oneWorktreeChangeAt(cwd, once) : once();
}
