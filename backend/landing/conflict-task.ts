/**
 * Conflicts go back to the agent: the target is merged into the agent's
 * branch in the agent's own worktree (never the user's checkout), which
 * leaves git's conflict markers there, and the agent is given the conflict
 * as a task: the files, both sides, what the target did since the agent
 * started. When it concludes the merge and finishes, the landing preview is
 * clean (the UI computes it again).
 */
import type { ConflictFile } from '../protocol/landing.ts';
import { dirtyFiles } from './checkout.ts';
import { git, gitOut, identityEnv, LandingError } from './git.ts';

/** Each side shown to the agent is cut here: it reads the files itself. */
const SIDE_CHARS = 4000;
const MAX_COMMITS = 30;

export interface ConflictHandOver {
  /** The files left with conflict markers in the agent's worktree. */
  files: string[];
  /** The message the agent gets. */
  task: string;
}

function cut(text: string | null): string {
  if (text === null) return '(deleted on this side)';
  return text.length > SIDE_CHARS ? `${text.slice(0, SIDE_CHARS)}\n… (cut; read the file)` : text;
}

export async function startConflictMerge(options: {
  repo: string;
  worktree: string;
  source: string;
  target: string;
  conflicts: readonly ConflictFile[];
}): Promise<ConflictHandOver> {
  const { worktree, source, target } = options;
  const dirty = await dirtyFiles(worktree);
  if (dirty.length > 0)
    throw new LandingError(
      `The agent's worktree has uncommitted changes (${dirty.join(', ')}): keep or discard them in Changes first.`,
    );
  const base = await gitOut(worktree, ['merge-base', 'HEAD', `refs/heads/${target}`]);
  const commits = await gitOut(worktree, [
    'log',
    '--oneline',
    '--no-decorate',
    `--max-count=${MAX_COMMITS}`,
    `${base}..refs/heads/${target}`,
  ]);
  const merge = await git(
    worktree,
    [
      'merge',
      '--no-ff',
      '--no-edit',
      '-m',
      `Merge ${target} into ${source}`,
      `refs/heads/${target}`,
    ],
    { okCodes: [1], env: await identityEnv(worktree) },
  );
  const unmerged = (await gitOut(worktree, ['diff', '--name-only', '--diff-filter=U', '-z']))
    .split('\0')
    .filter(Boolean);
  if (merge.code === 0 || unmerged.length === 0)
    return {
      files: [],
      task: `${target} was merged into your branch without conflicts; nothing to resolve. Check the result builds, then finish.`,
    };
  const sides = options.conflicts
    .filter((c) => unmerged.includes(c.path))
    .map(
      (c) =>
        `### ${c.path}\n--- ${target} (theirs, now in the merge):\n${c.binary ? '(binary)' : cut(c.ours)}\n--- your branch:\n${c.binary ? '(binary)' : cut(c.theirs)}`,
    )
    .join('\n\n');
  const task = [
    `Your work conflicts with ${target}. I started \`git merge ${target}\` in your worktree; it stopped with conflicts in: ${unmerged.join(', ')}.`,
    `Resolve each file (keep both intents; remove every conflict marker), \`git add\` the files and conclude with \`git commit --no-edit\`. Do not abort the merge. Run the checks you would normally run, then finish.`,
    commits ? `Commits on ${target} since you started:\n${commits}` : '',
    sides ? `Both sides:\n\n${sides}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return { files: unmerged, task };
}
