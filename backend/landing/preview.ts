/** The merge preview of an agent's branch: everything the user sees before deciding, nothing touched. */
import type { AgentSummary } from '../protocol/agent.ts';
import type { MergePreview } from '../protocol/landing.ts';
import { alreadyLanded, commitsAhead, startedFrom, userBranches } from './branches.ts';
import { changedFiles, checkoutOf, dirtyFiles } from './checkout.ts';
import { resolveGates } from './gates.ts';
import { LandingError, resolveCommit } from './git.ts';
import { blockingFiles } from './land.ts';
import { mergeTree } from './merge-tree.ts';
import { PROJECT_FILE, projectFileAt } from './project-file.ts';
import { suggestedMessage } from './provenance.ts';

export async function previewLanding(options: {
  repo: string;
  agent: Pick<AgentSummary, 'id' | 'branch' | 'task' | 'report'>;
  /** The agent's worktree, when it exists. */
  worktree: string | null;
  target?: string | undefined;
}): Promise<MergePreview> {
  const { repo, agent } = options;
  const source = agent.branch;
  if (!source)
    throw new LandingError('This agent worked in a plain folder: there is no branch to merge.');
  const from = await startedFrom(repo, source);
  const target = options.target ?? from;
  if (!target)
    throw new LandingError('Pick the branch to merge into: the repository has none checked out.');
  const targetTip = await resolveCommit(repo, `refs/heads/${target}`);
  if (!targetTip) throw new LandingError(`There is no branch ${target}.`);
  const sourceTip = await resolveCommit(repo, `refs/heads/${source}`);
  if (!sourceTip) throw new LandingError(`The agent's branch ${source} is gone.`);
  const [merged, branches, commits, upToDate, checkedOutAt, project] = await Promise.all([
    mergeTree(repo, targetTip, sourceTip),
    userBranches(repo),
    commitsAhead(repo, source, target),
    alreadyLanded(repo, source, target),
    checkoutOf(repo, target),
    projectFileAt(repo, targetTip),
  ]);
  const files = await changedFiles(repo, targetTip, merged.tree);
  const uncommitted = options.worktree ? await dirtyFiles(options.worktree).catch(() => []) : [];
  return {
    agentId: agent.id,
    source,
    target,
    startedFrom: from,
    branches,
    targetTip,
    sourceTip,
    upToDate,
    clean: merged.clean,
    files,
    conflicts: merged.conflicts,
    messages: merged.messages,
    commits,
    uncommitted,
    checkedOutAt,
    blockedBy: await blockingFiles(repo, checkedOutAt, targetTip, merged.tree, files),
    message: suggestedMessage(agent),
    gates: await resolveGates(repo, targetTip, project),
    gatesFile: project ? PROJECT_FILE : null,
  };
}
