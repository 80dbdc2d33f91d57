/**
 * Facts about the branches landing deals with: the branch an agent started
 * from (its branch's upstream, set when the worktree was made), the local
 * branches a user may land in, whether a branch's work already landed.
 */
import { git, gitOut, resolveCommit, tryGitOut } from './git.ts';
import { LANDED_KEY } from './land.ts';
import { BASE_KEY } from '../agent/workspace.ts';

const TROIKA_PREFIX = 'troika/';

/**
 * The branch `branch` started from (recorded as `branch.<name>.troikaBase`
 * when its worktree was made; not as an upstream, so a `git push` in the
 * worktree can never push into the user's branch), else the branch checked
 * out in the main checkout.
 */
export async function startedFrom(repo: string, branch: string): Promise<string | null> {
  const base = await tryGitOut(repo, ['config', `branch.${branch}.${BASE_KEY}`]);
  if (base) return base;
  return (await tryGitOut(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD'])) ?? null;
}

/** Local branches a user lands in: everything but Troika's own. */
export async function userBranches(repo: string): Promise<string[]> {
  const out = await gitOut(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads']);
  return out
    .split('\n')
    .filter((b) => b && !b.startsWith(TROIKA_PREFIX))
    .sort();
}

/** Troika's branches in the repository. */
export async function troikaBranches(repo: string): Promise<string[]> {
  const out = await gitOut(repo, [
    'for-each-ref',
    '--format=%(refname:short)',
    `refs/heads/${TROIKA_PREFIX}`,
  ]);
  return out.split('\n').filter(Boolean);
}

export async function isAncestor(repo: string, a: string, b: string): Promise<boolean> {
  return (await git(repo, ['merge-base', '--is-ancestor', a, b], { okCodes: [1] })).code === 0;
}

/** Whether everything on `branch` is in `target`: by ancestry (a merge) or as recorded by a squash landing of this very tip. */
export async function alreadyLanded(
  repo: string,
  branch: string,
  target: string,
): Promise<boolean> {
  const tip = await resolveCommit(repo, `refs/heads/${branch}`);
  if (!tip) return false;
  const recorded = await tryGitOut(repo, ['config', `branch.${branch}.${LANDED_KEY}`]);
  if (recorded === tip) return true;
  return isAncestor(repo, tip, `refs/heads/${target}`);
}

/** Commits on `branch` that `target` lacks. */
export async function commitsAhead(repo: string, branch: string, target: string): Promise<number> {
  const out = await tryGitOut(repo, [
    'rev-list',
    '--count',
    `refs/heads/${target}..refs/heads/${branch}`,
  ]);
  return Number(out) || 0;
}
