/**
 * The product's reviewer: a model conversation (consult.ts) on the
 * `reviewer` alias with the reviewer persona, read-only tools over the
 * task's branch, and the diff since it forked from the integration branch.
 * It answers through `submit_review`.
 */
import { git, resolveCommit } from '../landing/git.ts';
import { loadPersonas, renderPersonaBlock } from '../personas/index.ts';
import { redact } from '../redaction/redact.ts';
import type { ModelClient } from '../provider/router.ts';
import { taskText } from './agent-build.ts';
import { consult } from './consult.ts';
import type { ReviewOutcome, ReviewRequest } from './ports.ts';
import { repoTools } from './repo-tools.ts';
import { ReviewInput, submitReviewTool } from './review-verdict.ts';

/** The diff handed to the reviewer at once; it reads the rest through its tools. */
const MAX_DIFF_CHARS = 60_000;

const REVIEWER_SYSTEM =
  "You review one task of a plan that several coding agents carry out. The task's builder has finished and the repository's gates passed on its work. " +
  "Read the diff and whatever code you need through your tools (they read the task's branch; you cannot change anything), then call submit_review exactly once.";

/** The persona block of a built-in persona, by name (none when it is missing). */
export async function builtinPersonaBlock(name: string): Promise<string | undefined> {
  const { personas } = await loadPersonas();
  const persona = personas.find((p) => p.name === name);
  return persona && renderPersonaBlock(persona);
}

export async function reviewTask(
  client: ModelClient,
  repo: string,
  request: ReviewRequest,
  signal: AbortSignal,
): Promise<ReviewOutcome> {
  const commit = await resolveCommit(repo, `refs/heads/${request.branch}`);
  if (!commit)
    return {
      verdict: null,
      failure: `The branch ${request.branch} is gone`,
      costUsd: 0,
      model: request.model,
    };
  const range = `refs/heads/${request.base}...${commit}`;
  const stat = (await git(repo, ['diff', '--stat', range])).stdout;
  // Secrets in the diff never reach the model, nor so its findings kept as evidence.
  let diff = redact((await git(repo, ['diff', range])).stdout);
  if (diff.length > MAX_DIFF_CHARS)
    diff = `${diff.slice(0, MAX_DIFF_CHARS)}\n[… the diff goes on; read the files named above]`;
  const prompt = [
    `Review round ${request.round}, pass ${request.pass}.`,
    `The task:\n\n${taskText(request.task)}`,
    `Files changed:\n${stat.trim() || '(none)'}`,
    `The diff:\n\n${diff || '(empty)'}`,
  ].join('\n\n');
  const result = await consult({
    client,
    model: request.model,
    system: REVIEWER_SYSTEM,
    persona: await builtinPersonaBlock('reviewer'),
    prompt,
    tools: repoTools(repo, commit),
    answer: { definition: submitReviewTool, schema: ReviewInput },
    signal,
  });
  return {
    verdict: result.value,
    failure: result.failure,
    costUsd: result.costUsd,
    model: result.model,
  };
}
