/**
 * Lands a branch on another, the way a careful person would with git:
 *
 * 1. the merge is computed in the object store (`git merge-tree`); a conflict
 *    stops here, nothing touched;
 * 2. where the target is checked out, its uncommitted files that the merge
 *    would touch make Troika refuse, naming them;
 * 3. the gates run on a candidate commit in a temporary worktree;
 * 4. the commit is written (squash: one parent; merge: two), provenance in
 *    its trailers;
 * 5. the target moves: in its checkout by `git merge --ff-only` (git updates
 *    the working tree and index together, and refuses rather than overwrite
 *    an edit), elsewhere by `git update-ref` guarded by the old tip.
 *
 * Until step 5 only unreachable objects exist, so a crash at any point leaves
 * the repository as it was; step 5 is one ref update or git's own merge.
 */
import type { GateResult, LandMode } from '../protocol/landing.ts';
import { changedFiles, checkoutOf, dirtyFiles, overlapping } from './checkout.ts';
import { git, gitOut, identityEnv, LandingError, resolveCommit } from './git.ts';
import { mergeTree } from './merge-tree.ts';
import { withTrailers, type Provenance } from './provenance.ts';

export interface LandOptions {
  repo: string;
  /** The branch with the work. */
  source: string;
  /** The branch it lands in. */
  target: string;
  mode: LandMode;
  message: string;
  provenance: Omit<Provenance, 'gates'>;
  /** The target tip the user saw in the preview: landing refuses if it moved. */
  expectTip?: string | undefined;
  /** Runs the gates on a candidate commit; absent: gates off. */
  gates?: (candidate: string) => Promise<GateResult[]>;
  mergeAnyway?: boolean;
  progress?: (step: string, message: string) => void;
}

export interface LandOutcome {
  landed: boolean;
  reason: string | null;
  commit: string | null;
  gates: GateResult[];
  mergedAnyway: boolean;
  updatedCheckout: string | null;
  /** The source tip that landed. */
  sourceTip: string | null;
}

/** Where a branch's landing is recorded: removed with the branch by git itself. */
export const LANDED_KEY = 'troikaLanded';

function refused(reason: string, gates: GateResult[] = []): LandOutcome {
  return {
    landed: false,
    reason,
    commit: null,
    gates,
    mergedAnyway: false,
    updatedCheckout: null,
    sourceTip: null,
  };
}

async function isAncestor(repo: string, a: string, b: string): Promise<boolean> {
  return (await git(repo, ['merge-base', '--is-ancestor', a, b], { okCodes: [1] })).code === 0;
}

/** The checkout's uncommitted files the change from `from` to `to` would touch (`touched`, when already known). */
export async function blockingFiles(
  repo: string,
  checkout: string | null,
  from: string,
  to: string,
  touched?: readonly string[],
): Promise<string[]> {
  if (!checkout) return [];
  const dirty = await dirtyFiles(checkout);
  if (dirty.length === 0) return [];
  return overlapping(dirty, touched ?? (await changedFiles(repo, from, to)));
}

async function commitTree(
  repo: string,
  tree: string,
  parents: string[],
  message: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const args = ['commit-tree', tree];
  for (const parent of parents) args.push('-p', parent);
  args.push('-F', '-');
  return gitOut(repo, args, { input: message, env });
}

export async function landBranch(options: LandOptions): Promise<LandOutcome> {
  const { repo, source, target, mode } = options;
  const progress = options.progress ?? (() => undefined);
  // Independent queries side by side: spawning git is most of a landing's time.
  const [targetTip, sourceTip] = await Promise.all([
    resolveCommit(repo, `refs/heads/${target}`),
    resolveCommit(repo, `refs/heads/${source}`),
  ]);
  if (!targetTip) return refused(`There is no branch ${target}.`);
  if (!sourceTip) return refused(`There is no branch ${source}.`);
  if (options.expectTip && options.expectTip !== targetTip)
    return refused(`${target} moved since the preview: look at the merge again.`);
  if (await isAncestor(repo, sourceTip, targetTip))
    return refused(`${target} already holds everything on ${source}.`);

  progress('merge', `Merging ${source} into ${target}`);
  const [merged, { checkout, dirty }, identity] = await Promise.all([
    mergeTree(repo, targetTip, sourceTip),
    checkoutOf(repo, target).then(async (path) => ({
      checkout: path,
      dirty: path ? await dirtyFiles(path) : [],
    })),
    identityEnv(repo),
  ]);
  if (!merged.clean)
    return refused(
      `The merge conflicts in ${merged.conflicts.map((c) => c.path).join(', ')}: resolve it first.`,
    );
  // A clean checkout cannot block: the diff is only needed when something is dirty.
  const blocked =
    dirty.length > 0 ? overlapping(dirty, await changedFiles(repo, targetTip, merged.tree)) : [];
  if (blocked.length > 0)
    return refused(
      `${target} is checked out in ${checkout} with uncommitted changes the merge would touch: ${blocked.join(', ')}. Commit or stash them, then merge again.`,
    );
  const parents = mode === 'merge' ? [targetTip, sourceTip] : [targetTip];

  let gates: GateResult[] = [];
  let gatesNote = 'off';
  let mergedAnyway = false;
  if (options.gates) {
    progress('gates', 'Running the gates on the merge result');
    const candidate = await commitTree(
      repo,
      merged.tree,
      parents,
      `Troika gate candidate\n`,
      identity,
    );
    gates = await options.gates(candidate);
    const failed = gates.filter((g) => g.status !== 'passed');
    if (failed.length > 0) {
      const names = failed.map((g) => `${g.name} (${g.status.replace('_', ' ')})`).join(', ');
      if (!options.mergeAnyway) return refused(`Gate failed: ${names}. Nothing landed.`, gates);
      mergedAnyway = true;
      gatesNote = `failed: ${names}; merged anyway`;
    } else {
      gatesNote = gates.length === 0 ? 'none found' : 'passed';
    }
  }

  progress('commit', `Writing the ${mode === 'squash' ? 'squash' : 'merge'} commit`);
  const message = await withTrailers(repo, options.message, {
    ...options.provenance,
    gates: gatesNote,
  });
  const commit = await commitTree(repo, merged.tree, parents, message, identity);

  // The gates took time: the user may have edited or committed meanwhile. Without gates no time passed.
  const checkoutNow = options.gates ? await checkoutOf(repo, target) : checkout;
  const blockedNow = options.gates
    ? await blockingFiles(repo, checkoutNow, targetTip, merged.tree)
    : [];
  if (blockedNow.length > 0)
    return refused(
      `${target} is checked out in ${checkoutNow} with uncommitted changes the merge would touch: ${blockedNow.join(', ')}. Nothing landed.`,
      gates,
    );
  progress('land', `Moving ${target}`);
  if (checkoutNow) {
    const head = await resolveCommit(checkoutNow, 'HEAD');
    if (head !== targetTip) return refused(`${target} moved meanwhile: merge again.`, gates);
    await git(checkoutNow, ['merge', '--ff-only', '--quiet', commit]);
  } else {
    await git(repo, [
      'update-ref',
      '-m',
      `troika: land ${source} (${mode})`,
      `refs/heads/${target}`,
      commit,
      targetTip,
    ]).catch((error: unknown) => {
      throw new LandingError(
        `${target} moved meanwhile, nothing landed: ${(error as Error).message}`,
      );
    });
  }
  await git(repo, ['config', `branch.${source}.${LANDED_KEY}`, sourceTip]);
  return {
    landed: true,
    reason: null,
    commit,
    gates,
    mergedAnyway,
    updatedCheckout: checkoutNow,
    sourceTip,
  };
}
