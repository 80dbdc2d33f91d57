/**
 * The product's reviewer: an agent of the console (role-agent.ts) on the
 * `reviewer` alias with the reviewer persona, working in the task's
 * worktree (the builder's, its run over once the gates passed) with
 * read-only tools, told the task and the diff since the branch forked from
 * the integration branch. It answers through `submit_review`.
 */
import type { AgentManager } from '../agent/agent-manager.ts';
import type { EventBus } from '../bus/events.ts';
import { git, resolveCommit } from '../landing/git.ts';
import { redact } from '../redaction/redact.ts';
import { taskText } from './agent-build.ts';
import type { ReviewOutcome, ReviewRequest } from './ports.ts';
import { ReviewInput, submitReviewTool } from './review-verdict.ts';
import { runRoleAgent, type RoleAgentRequest } from './role-agent.ts';

/** The diff handed to the reviewer at once; it reads the rest through its tools. */
const MAX_DIFF_CHARS = 60_000;
export const REVIEWER_PERSONA = 'reviewer';

const REVIEWER_BRIEF =
  "You review one task of a plan that several coding agents carry out. The task's builder has finished and the repository's gates passed on its work. " +
  'Your folder is its worktree: read the diff below and whatever code you need through your tools (you cannot change anything), then call submit_review exactly once.';

export interface ReviewerDeps {
  agents: AgentManager;
  events: EventBus;
  /** The plan's repository (its main checkout), where the branches are. */
  repo: string;
  /** The task's worktree, where the reviewer works; null when there is none in this process. */
  workDir: string | null;
  onAgent?: ((agentId: string) => void) | undefined;
  log?: RoleAgentRequest<unknown>['log'];
}

export async function reviewTask(
  deps: ReviewerDeps,
  request: ReviewRequest,
  signal: AbortSignal,
): Promise<ReviewOutcome> {
  const none = (failure: string): ReviewOutcome => ({
    verdict: null,
    failure,
    costUsd: 0,
    model: request.model,
  });
  const commit = await resolveCommit(deps.repo, `refs/heads/${request.branch}`);
  if (!commit) return none(`The branch ${request.branch} is gone`);
  if (!deps.workDir) return none(`The task's worktree is not open in this session`);
  const range = `refs/heads/${request.base}...${commit}`;
  const [stat, full] = await Promise.all([
    git(deps.repo, ['diff', '--stat', range]).then((r) => r.stdout),
    git(deps.repo, ['diff', range]).then((r) => r.stdout),
  ]);
  // Secrets in the diff never reach the model, nor so its findings kept as evidence.
  let diff = redact(full);
  if (diff.length > MAX_DIFF_CHARS)
    diff = `${diff.slice(0, MAX_DIFF_CHARS)}\n[… the diff goes on; read the files named above]`;
  const task = [
    `Review round ${request.round}, pass ${request.pass}: task ${request.task.id} "${request.task.title}".`,
    REVIEWER_BRIEF,
    `The task:\n\n${taskText(request.task)}`,
    `Files changed (${request.branch} since it forked from ${request.base}):\n${stat.trim() || '(none)'}`,
    `The diff:\n\n${diff || '(empty)'}`,
  ].join('\n\n');
  const result = await runRoleAgent({
    agents: deps.agents,
    events: deps.events,
    task,
    workDir: deps.workDir,
    model: request.model,
    persona: REVIEWER_PERSONA,
    answer: {
      definition: submitReviewTool,
      schema: ReviewInput,
      summary: (v) => `${v.verdict}: ${v.summary}`,
    },
    signal,
    onAgent: deps.onAgent,
    log: deps.log,
  });
  return {
    verdict: result.value,
    failure: result.failure,
    stopped: result.stopped,
    costUsd: result.costUsd,
    model: result.model,
  };
}
