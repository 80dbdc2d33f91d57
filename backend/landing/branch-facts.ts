/**
 * Everything a merge preview needs to know about the branches, in two git
 * calls run side by side rather than one call per fact: spawning git is
 * what a preview's time went to (each spawn costs tens of milliseconds on a
 * busy machine, more than most of the queries themselves).
 *
 * - `for-each-ref` gives every local branch with its tip and the worktree
 *   that has it checked out;
 * - `config --get-regexp` gives the source branch's recorded base and
 *   landed tip together.
 */
import { BASE_KEY } from '../agent/workspace.ts';
import { git, tryGitOut } from './git.ts';
import { LANDED_KEY } from './land.ts';

const TROIKA_PREFIX = 'troika/';

export interface BranchFacts {
  /** Tip of each local branch. */
  tips: Map<string, string>;
  /** Where each checked-out branch is checked out. */
  checkouts: Map<string, string>;
  /** Local branches a user lands in (all but Troika's own), sorted. */
  userBranches: string[];
  /** The branch the source started from (see startedFrom in branches.ts). */
  startedFrom: string | null;
  /** The source tip a squash landing recorded, if any. */
  landedTip: string | null;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function branchFacts(repo: string, source: string): Promise<BranchFacts> {
  const [refs, config] = await Promise.all([
    git(repo, [
      'for-each-ref',
      '--format=%(refname)%00%(objectname)%00%(worktreepath)%00',
      'refs/heads',
    ]),
    // Exit 1: no such keys.
    git(
      repo,
      [
        'config',
        '-z',
        '--get-regexp',
        `^branch\\.${escapeRegex(source)}\\.(${BASE_KEY}|${LANDED_KEY})$`,
      ],
      { okCodes: [1] },
    ),
  ]);
  const tips = new Map<string, string>();
  const checkouts = new Map<string, string>();
  // Each line is `name\0oid\0path\0`; a name holds no newline or NUL.
  for (const line of refs.stdout.split('\n')) {
    const [ref, oid, path] = line.split('\0');
    // The full ref, not `refname:short`: a tag of the same name would make that `heads/<name>`.
    if (!ref?.startsWith('refs/heads/') || !oid) continue;
    const name = ref.slice('refs/heads/'.length);
    tips.set(name, oid);
    if (path) checkouts.set(name, path);
  }
  // `-z` entries are `key\nvalue\0`; git lowercases the variable name.
  const values = new Map<string, string>();
  for (const entry of config.stdout.split('\0')) {
    const newline = entry.indexOf('\n');
    if (newline < 0) continue;
    const key = entry.slice(0, newline);
    values.set(key.slice(key.lastIndexOf('.') + 1), entry.slice(newline + 1));
  }
  const base = values.get(BASE_KEY.toLowerCase()) || null;
  return {
    tips,
    checkouts,
    userBranches: [...tips.keys()].filter((b) => !b.startsWith(TROIKA_PREFIX)).sort(),
    startedFrom:
      base ?? (await tryGitOut(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD'])) ?? null,
    landedTip: values.get(LANDED_KEY.toLowerCase()) || null,
  };
}
