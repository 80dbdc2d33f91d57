/**
 * The merge preview of an agent's branch: everything the user sees before deciding, nothing touched.
 *
 * Git is spawned in three rounds, the calls of a round side by side: the
 * branch facts; then the merge, the commit count, the project file and
 * gates, and the status of both checkouts; then the diff of the merge
 * result. Spawning is what a preview's time goes to, not the queries.
 */
import type { AgentSummary } from '../protocol/agent.ts';
import type { MergePreview } from '../protocol/landing.ts';
import { branchFacts } from './branch-facts.ts';
import { changedFiles, dirtyFiles, overlapping } from './checkout.ts';
import { resolveGates } from './gates.ts';
import { gitOut, LandingError } from './git.ts';
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
  const facts = await branchFacts(repo, source);
  const from = facts.startedFrom;
  const target = options.target ?? from;
  if (!target)
    throw new LandingError('Pick the branch to merge into: the repository has none checked out.');
  const targetTip = facts.tips.get(target);
  if (!targetTip) throw new LandingError(`There is no branch ${target}.`);
  const sourceTip = facts.tips.get(source);
  if (!sourceTip) throw new LandingError(`The agent's branch ${source} is gone.`);
  const checkedOutAt = facts.checkouts.get(target) ?? null;
  const [merged, commitsOut, project, uncommitted, dirtyTarget] = await Promise.all([
    mergeTree(repo, targetTip, sourceTip),
    gitOut(repo, ['rev-list', '--count', `${targetTip}..${sourceTip}`]),
    projectFileAt(repo, targetTip).then(async (file) => ({
      file,
      gates: await resolveGates(repo, targetTip, file),
    })),
    options.worktree ? dirtyFiles(options.worktree).catch(() => []) : [],
    checkedOutAt ? dirtyFiles(checkedOutAt) : [],
  ]);
  const commits = Number(commitsOut) || 0;
  const files = await changedFiles(repo, targetTip, merged.tree);
  return {
    agentId: agent.id,
    source,
    target,
    startedFrom: from,
    branches: facts.userBranches,
    targetTip,
    sourceTip,
    // Landed by a squash of this very tip, or by ancestry: nothing on the source that the target lacks.
    upToDate: facts.landedTip === sourceTip || commits === 0,
    clean: merged.clean,
    files,
    conflicts: merged.conflicts,
    messages: merged.messages,
    commits,
    uncommitted,
    checkedOutAt,
    blockedBy: overlapping(dirtyTarget, files),
    message: suggestedMessage(agent),
    gates: project.gates,
    gatesFile: project.file ? PROJECT_FILE : null,
  };
}
