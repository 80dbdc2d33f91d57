/**
 * A task's gate runs as the plan view shows them: its evidence read in
 * order, each `gate` record filed under the attempt recorded before it (the
 * task's own gates and, once it is in the merge queue, the integration's).
 * Records written before gates kept each command (only the combined output)
 * come back with no checks, their output whole.
 */
import {
  GateCheckSchema,
  type AttemptGates,
  type GateCheck,
  type GateRun,
} from '../protocol/payloads/plan-task-view.ts';
import type { Evidence } from './plan-store.ts';

export function attemptGates(evidence: readonly Evidence[]): AttemptGates[] {
  const attempts: AttemptGates[] = [];
  let current: AttemptGates | undefined;
  for (const e of evidence) {
    const d = e.data;
    if (e.kind === 'attempt' && typeof d['attempt'] === 'number') {
      // An attempt is recorded when it starts and again when its agent ends.
      if (current?.attempt === d['attempt']) continue;
      current = {
        attempt: d['attempt'],
        level: typeof d['level'] === 'string' ? d['level'] : null,
        model: typeof d['model'] === 'string' ? d['model'] : null,
        startedAt: e.createdAt,
        runs: [],
      };
      attempts.push(current);
    } else if (e.kind === 'gate') {
      if (!current) {
        current = { attempt: 0, level: null, model: null, startedAt: null, runs: [] };
        attempts.push(current);
      }
      current.runs.push(gateRun(e));
    }
  }
  return attempts;
}

function gateRun(e: Evidence): GateRun {
  const d = e.data;
  const checks = Array.isArray(d['checks'])
    ? d['checks'].flatMap((c): GateCheck[] => {
        const parsed = GateCheckSchema.safeParse(c);
        return parsed.success ? [parsed.data] : [];
      })
    : [];
  return {
    where: d['where'] === 'integration' ? 'integration' : 'task',
    passed: d['passed'] === true,
    at: e.createdAt,
    durationMs:
      typeof d['durationMs'] === 'number'
        ? d['durationMs']
        : checks.some((c) => c.durationMs !== null)
          ? checks.reduce((sum, c) => sum + (c.durationMs ?? 0), 0)
          : null,
    checks,
    output: typeof d['output'] === 'string' ? d['output'] : '',
  };
}
