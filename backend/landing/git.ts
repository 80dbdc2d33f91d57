/**
 * Runs git for landing: local commands with a time limit (a lock or a hook
 * waiting for input must not hang a merge), no prompts, C locale (the output
 * is parsed), optional stdin. Exit codes a caller expects (merge-tree's 1 for
 * "conflicts") are returned rather than thrown.
 */
import { runGitCommand, type LockRetryOptions } from '../../native/git-lock.ts';
import { launch, launchError } from '../../native/process-launcher.ts';

const GIT_TIMEOUT_MS = 60_000;
const MAX_BUFFER = 256 * 1024 * 1024;

export class LandingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LandingError';
  }
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GitOptions {
  input?: string;
  /** Exit codes that are answers, not failures. */
  okCodes?: readonly number[];
  env?: NodeJS.ProcessEnv;
  /** Told when another git process holds a lock this command needs, before it is tried again. */
  onLockWait?: LockRetryOptions['onLockWait'];
}

/** Used only when the repository has no identity configured, so landing never fails on a fresh machine. */
export const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: 'Troika',
  GIT_AUTHOR_EMAIL: 'troika@localhost',
  GIT_COMMITTER_NAME: 'Troika',
  GIT_COMMITTER_EMAIL: 'troika@localhost',
};

/**
 * Runs git; a command refused because another git process holds a lock is
 * run again after a short wait, and worktree changes in one repository go
 * one at a time (native/git-lock.ts).
 */
export function git(cwd: string, args: string[], options: GitOptions = {}): Promise<GitResult> {
  return runGitCommand(
    cwd,
    args,
    () => gitOnce(cwd, args, options),
    (error) => (error instanceof GitFailure ? error.stderr : ''),
    options.onLockWait === undefined ? {} : { onLockWait: options.onLockWait },
  );
}

/** A git command that exited with an unexpected code: a LandingError that keeps git's stderr. */
class GitFailure extends LandingError {
  readonly stderr: string;
  constructor(message: string, stderr: string) {
    super(message);
    this.stderr = stderr;
  }
}

async function gitOnce(cwd: string, args: string[], options: GitOptions): Promise<GitResult> {
  const result = await launch('git', args, {
    cwd,
    timeoutMs: GIT_TIMEOUT_MS,
    maxBuffer: MAX_BUFFER,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...options.env },
    ...(options.input !== undefined && { input: options.input }),
  }).catch((error: Error) => {
    throw new LandingError(`git ${args.join(' ').slice(0, 120)} failed: ${error.message}`);
  });
  const { stdout, stderr } = result;
  const code = result.error === null && result.code !== null ? result.code : Number.NaN;
  if (code === 0 || (options.okCodes ?? []).includes(code)) return { stdout, stderr, code };
  throw new GitFailure(
    `git ${args.join(' ').slice(0, 120)} failed: ${stderr.trim() || launchError('git', args, result).message}`,
    stderr,
  );
}

/** stdout, trimmed; throws on failure. */
export async function gitOut(cwd: string, args: string[], options?: GitOptions): Promise<string> {
  return (await git(cwd, args, options)).stdout.trim();
}

/** stdout trimmed, or undefined when git fails (a missing ref, no upstream). */
export async function tryGitOut(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    return await gitOut(cwd, args);
  } catch {
    return undefined;
  }
}

/** The full object id of a commit-ish, or undefined. */
export function resolveCommit(cwd: string, rev: string): Promise<string | undefined> {
  return tryGitOut(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
}

/** How long a checkout found to have an identity is trusted to keep it (plans commit and merge often). */
const IDENTITY_TRUST_MS = 60_000;
/** Checkout → until when its identity is known to be set. */
const identityKnown = new Map<string, number>();

/**
 * Whether the repository has an identity for commits; else the fallback's
 * environment. A checkout found to have one is not asked again for a minute
 * (one git process less per commit); one without is asked every time, so an
 * identity the user sets is used at once.
 */
export async function identityEnv(cwd: string): Promise<NodeJS.ProcessEnv> {
  if ((identityKnown.get(cwd) ?? 0) > Date.now()) return {};
  const email = await tryGitOut(cwd, ['config', 'user.email']);
  if (!email) return FALLBACK_IDENTITY;
  if (identityKnown.size > 1_000) identityKnown.clear();
  identityKnown.set(cwd, Date.now() + IDENTITY_TRUST_MS);
  return {};
}
