/**
 * One task's turn in the merge queue: the merge into the integration branch
 * computed (no ref moves), the gates run on the result, and only then the
 * branch advanced. A conflict or a failing gate goes back through the
 * escalation like any failed attempt.
 *
 * A merge train: while the merge ahead is still being gated, the next task
 * is merged onto that merge's commit and gated alongside it, as GitLab's
 * merge trains and merge queues do. The branch still moves one merge at a
 * time, and only from the commit it holds. If the merge ahead lands as that
 * very commit, the result holds (gate failure included); if not, it is
 * dropped and the task merged again onto the tip that landed.
 */
import type { EvidenceKind, TaskProgress } from './plan-store.ts';
import type { GateResult, MergeRequest, MergeResult, PlanPorts } from './ports.ts';

/** The merge ahead in the train, as the next one sees it. */
export interface MergeAhead {
  /** The commit its branch will hold if it lands (null: it will not). */
  candidate: Promise<string | null>;
  /** The commit it landed as, or null when it did not land. */
  landed: Promise<string | null>;
}

/** What this merge tells the one behind it (see MergeAhead); both are always settled. */
export interface MergeHandles {
  candidate(commit: string | null): void;
  landed(commit: string | null): void;
}

export interface MergeStepContext {
  ports: PlanPorts;
  /** The merge ahead, still running: this one is merged onto its commit meanwhile. */
  ahead?: MergeAhead | undefined;
  handles?: MergeHandles | undefined;
  planId: string;
  /** The integration branch. */
  into: string;
  progress: TaskProgress;
  save(p: TaskProgress, kind?: EvidenceKind, data?: Record<string, unknown>): void;
  fail(p: TaskProgress, reason: string, feedback: string): void;
}

export async function mergeStep(ctx: MergeStepContext): Promise<void> {
  let landed: string | null = null;
  try {
    landed = await runMerge(ctx);
  } finally {
    ctx.handles?.candidate(null);
    ctx.handles?.landed(landed);
  }
}

async function runMerge(ctx: MergeStepContext): Promise<string | null> {
  const { ports, planId, into } = ctx;
  const taskId = ctx.progress.taskId;
  let p: TaskProgress = { ...ctx.progress, state: 'merging' };
  ctx.save(p);
  const branch = p.branch as string;
  try {
    const early = ctx.ahead ? await onTheTrain(ctx, branch) : undefined;
    const { result, gates } =
      early ?? (await mergeAndGate(ctx, { planId, taskId, branch, into }, true));
    if (result.status === 'conflict') {
      ctx.save(p, 'merge', { status: 'conflict', files: result.files });
      const files = result.files.join(', ');
      ctx.fail(
        p,
        `Merge conflict in ${files}`,
        `Merging into ${into} conflicts in ${files}:\n${result.output}`,
      );
      return null;
    }
    ctx.save(p, 'gate', { where: 'integration', ...gateEvidence(gates as GateResult) });
    if (!(gates as GateResult).passed) {
      ctx.fail(p, 'The gates failed on the integrated result', (gates as GateResult).output);
      return null;
    }
    await ports.advance(into, result.commit);
    p = { ...p, state: 'merged', mergedCommit: result.commit, feedback: null, reason: null };
    ctx.save(p, 'merge', { status: 'merged', commit: result.commit });
    return result.commit;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    ctx.fail(p, `The merge failed: ${text}`, text);
    return null;
  }
}

type Merged =
  | { result: Extract<MergeResult, { status: 'conflict' }>; gates?: undefined }
  | { result: Extract<MergeResult, { status: 'clean' }>; gates: GateResult };

/** The merge computed and, when clean, gated; the one behind is told the candidate once it holds. */
async function mergeAndGate(
  ctx: MergeStepContext,
  request: MergeRequest,
  final: boolean,
): Promise<Merged> {
  const result = await ctx.ports.merge(request);
  if (result.status === 'conflict') return { result };
  if (final) ctx.handles?.candidate(result.commit);
  const gates = await ctx.ports.gates(
    {
      planId: request.planId,
      taskId: request.taskId,
      ref: result.commit,
      where: 'integration',
      into: request.into,
    },
    new AbortController().signal,
  );
  return { result, gates };
}

/**
 * Merged and gated onto the merge ahead while it is gated; the result if
 * that merge landed as the commit used, else undefined (merge again).
 */
async function onTheTrain(ctx: MergeStepContext, branch: string): Promise<Merged | undefined> {
  const ahead = ctx.ahead as MergeAhead;
  const { planId, into } = ctx;
  const taskId = ctx.progress.taskId;
  const onto = await ahead.candidate;
  const early =
    onto === null
      ? undefined
      : await mergeAndGate(ctx, { planId, taskId, branch, into, onto }, false).catch(
          () => undefined,
        );
  const landed = await ahead.landed;
  if (early === undefined || landed === null || landed !== onto) return undefined;
  if (early.result.status === 'clean') ctx.handles?.candidate(early.result.commit);
  return early;
}

/** A gate result as kept on the task: what passed, what it printed, how long the commands ran. */
export function gateEvidence(gates: GateResult): Record<string, unknown> {
  return {
    passed: gates.passed,
    output: gates.output,
    durationMs: gates.durationMs ?? null,
    ...(gates.checks !== undefined && { checks: gates.checks }),
  };
}
