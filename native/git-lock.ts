/**
 * Another git process holding a lock: several agents, a merge and a gate
 * touch one repository at once, and git refuses rather than waits when the
 * index, the config or a ref is locked ("Unable to create '….lock': File
 * exists"). git fails before it changes what it could not lock, so the
 * command is run again after a short, jittered wait, a bounded number of
 * times. A lock still held after that (a crashed git left it) ends in git's
 * own message, which says which file to remove.
 */

/** git's messages for a lock file another process holds (index, HEAD, a ref, packed-refs, config). */
const HELD_LOCK =
  /Unable to create '[^'\n]+\.lock': File exists|could not lock config file [^\n]+: File exists/;

/** Tries in all (about 2 s of waiting before the last). */
export const GIT_LOCK_TRIES = 8;
const FIRST_WAIT_MS = 25;
const LONGEST_WAIT_MS = 500;

/** Whether git's error output says a lock was held by another process. */
export function isHeldLock(stderr: string): boolean {
  return HELD_LOCK.test(stderr);
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
      if (i >= tries || !isHeldLock(stderr)) throw error;
      const base = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (i - 1));
      const waitMs = Math.round(base / 2 + Math.random() * base);
      options.onLockWait?.(i, waitMs, stderr);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
