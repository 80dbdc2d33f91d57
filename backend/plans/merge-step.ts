/**
 * One task's turn in the merge queue: the merge into the integration branch
 * computed (no ref moves), the gates run on the result, and only then the
 * branch advanced. A conflict or a failing gate goes back through the
 * escalation like any failed attempt.
 */
import type { EvidenceKind, TaskProgress } from './plan-store.ts';
import type { GateResult, PlanPorts } from './ports.ts';

export interface MergeStepContext {
  ports: PlanPorts;
  planId: string;
  /** The integration branch. */
  into: string;
  progress: TaskProgress;
  save(p: TaskProgress, kind?: EvidenceKind, data?: Record<string, unknown>): void;
  fail(p: TaskProgress, reason: string, feedback: string): void;
}

export async function mergeStep(ctx: MergeStepContext): Promise<void> {
  const { ports, planId, into } = ctx;
  const taskId = ctx.progress.taskId;
  let p: TaskProgress = { ...ctx.progress, state: 'merging' };
  ctx.save(p);
  const branch = p.branch as string;
  try {
    const result = await ports.merge({ planId, taskId, branch, into });
    if (result.status === 'conflict') {
      ctx.save(p, 'merge', { status: 'conflict', files: result.files });
      const files = result.files.join(', ');
      return ctx.fail(
        p,
        `Merge conflict in ${files}`,
        `Merging into ${into} conflicts in ${files}:\n${result.output}`,
      );
    }
    const gates = await ports.gates(
      { planId, taskId, ref: result.commit, where: 'integration' },
      new AbortController().signal,
    );
    ctx.save(p, 'gate', { where: 'integration', ...gateEvidence(gates) });
    if (!gates.passed) {
      return ctx.fail(p, 'The gates failed on the integrated result', gates.output);
    }
    await ports.advance(into, result.commit);
    p = { ...p, state: 'merged', mergedCommit: result.commit, feedback: null, reason: null };
    ctx.save(p, 'merge', { status: 'merged', commit: result.commit });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    ctx.fail(p, `The merge failed: ${text}`, text);
  }
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
