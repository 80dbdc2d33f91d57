/**
 * The hit ratio's denominator: reads the model made again with the same
 * input while nothing had changed what they show since the earlier one (the
 * calls a cache can answer). Found from the conversation the client sent,
 * with the plan's account of which shell commands change which files.
 */
import { ModelView, readOf, shellChangesOf, type Step } from './honest-model.ts';
import type { RecordedRequest } from '../../testing/messages-server/index.ts';

export function repeatedUnchangedReads(
  bodies: readonly unknown[],
  plan: readonly Step[],
  answered: ReadonlySet<string>,
): { reads: number; answered: number } {
  const last = bodies.at(-1) as RecordedRequest['params'];
  const view = new ModelView({ params: last }, shellChangesOf(plan));
  let reads = 0;
  let hits = 0;
  for (const call of view.calls) {
    const read = readOf(call);
    if (read === undefined) continue;
    const same = (earlier: (typeof view.calls)[number]) => {
      const before = readOf(earlier);
      return (
        earlier.at < call.at &&
        before?.key === read.key &&
        JSON.stringify(before.range) === JSON.stringify(read.range) &&
        !view.changedSince(read, earlier.at, call.at)
      );
    };
    if (!view.calls.some(same)) continue;
    reads++;
    if (answered.has(call.id)) hits++;
  }
  return { reads, answered: hits };
}
