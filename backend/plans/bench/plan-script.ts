/**
 * The plan benchmark's scripted plan (plan-bench.ts runs it): nine tasks in
 * three dependency levels, each writing its own file under parts/, and the
 * scripted model conversations of its builders, reviewer and planner on the
 * two test servers. Every model response takes `responseMs` (its first
 * byte's delay); a 529 storm answers at once. The script records each
 * response it serves, by task and role, so the model's time and the cost are
 * measured from the run itself.
 *
 * What the plan exercises, as issues 16 and 17 ask:
 * - `b`'s first version fails the gate (it writes BUG); the gate's output
 *   goes back to its builder, whose second version passes;
 * - `c` is M-size, so it is reviewed: round 1 requests changes, round 2 approves;
 * - `d`'s builder finishes with NEEDS_CLARIFICATION; the planner answers;
 * - `e`'s builder meets a 529 storm on the Messages server and moves to
 *   the OpenAI-compatible server, the next model of its `coder` chain.
 */
import type { PlanTask } from '../../protocol/payloads/plans.ts';
import { faults } from '../../testing/messages-server/index.ts';
import type {
  RecordedRequest as MessagesRequest,
  Turn as MessagesTurn,
} from '../../testing/messages-server/types.ts';
import type {
  RecordedRequest as ChatRequest,
  Turn as ChatTurn,
} from '../../testing/openai-server/types.ts';
import { task } from '../testing/fixtures.ts';

export type Role = 'builder' | 'reviewer' | 'planner';

/** One builder move: a shell command, a question, or the end of the work. */
type Move = { bash: string } | { ask: string } | 'done';

interface ScriptedTask {
  deps: string[];
  size: 'S' | 'M';
  /** The builder's moves, one model response each, across all its attempts. */
  moves: Move[];
}

const write = (id: string, text = id): Move => ({ bash: `echo ${text} > parts/${id}.txt` });

/** The plan: ids, dependencies and each builder's moves. */
export const SCRIPT: Readonly<Record<string, ScriptedTask>> = {
  a: { deps: [], size: 'S', moves: [write('a'), 'done'] },
  b: { deps: [], size: 'S', moves: [write('b', 'BUG'), 'done', write('b'), 'done'] },
  c: { deps: [], size: 'M', moves: [write('c', 'draft'), 'done', write('c'), 'done'] },
  d: { deps: ['a'], size: 'S', moves: [write('d'), { ask: 'Which letter goes in d?' }, 'done'] },
  e: { deps: ['b'], size: 'S', moves: [write('e'), 'done'] },
  f: { deps: ['c'], size: 'S', moves: [write('f', 'one'), write('f'), 'done'] },
  g: { deps: ['d', 'e'], size: 'S', moves: [write('g'), 'done'] },
  h: { deps: ['e', 'f'], size: 'S', moves: [write('h'), 'done'] },
  i: { deps: ['f'], size: 'S', moves: [write('i', 'one'), write('i'), 'done'] },
};
/** The task whose first gate fails. */
export const FLAKY_TASK = 'b';
/** The reviewed task (one round of changes, then approved). */
export const REVIEWED_TASK = 'c';
/** The task whose builder asks the planner. */
export const ASKING_TASK = 'd';
/** The task whose builder meets the 529 storm and moves to the second provider. */
export const STORM_TASK = 'e';
/** 529s served in a row: the SDK's own retries included, then the router moves on. */
const STORM_REQUESTS = 3;

/** The fallback chains the benchmark's settings name: Anthropic first, then the OpenAI-compatible server. */
export const OPENAI_MODEL = 'gpt-4.1';
export const CODER_CHAIN = [
  { provider: 'anthropic' as const, model: 'claude-sonnet-5-5' },
  { provider: 'openai' as const, model: OPENAI_MODEL },
];

const TITLE = 'Bench part';

export function planTasks(): PlanTask[] {
  return Object.entries(SCRIPT).map(([id, t]) =>
    task(id, {
      title: `${TITLE} ${id}`,
      description: `Write parts/${id}.txt holding "${id}".`,
      acceptanceCriteria: [`parts/${id}.txt holds exactly "${id}"`],
      dependencies: t.deps,
      size: t.size,
      files: [`parts/${id}.txt`],
    }),
  );
}

/** The gate (`npm test`): fails while any file under parts/ says BUG, and takes `gateMs` to say so. */
export function gateCheck(gateMs: number): string {
  return `import { readdirSync, readFileSync } from 'node:fs';
const bad = readdirSync('parts').filter((f) => readFileSync('parts/' + f, 'utf8').includes('BUG'));
setTimeout(() => {
  if (bad.length) { console.error('BUG found in ' + bad.join(', ')); process.exit(1); }
  console.log('parts ok');
}, ${gateMs});
`;
}

/** A response the script served. */
export interface Served {
  taskId: string;
  role: Role;
  provider: 'anthropic' | 'openai';
  /** When the script was asked (`Date.now()`), and the delay it gave the response. */
  at: number;
  delayMs: number;
  /** A 529 of the storm (no model work, no cost). */
  fault: boolean;
}

export class PlanScript {
  readonly served: Served[] = [];
  readonly #responseMs: number;
  #stormLeft = STORM_REQUESTS;

  constructor(responseMs: number) {
    this.#responseMs = responseMs;
  }

  /** The Messages server's handler: builders, the reviewer and the planner. */
  readonly messages = (request: MessagesRequest): MessagesTurn | undefined => {
    const messages = request.params?.messages ?? [];
    const first = textOf(messages[0]?.content);
    const steps = messages.filter((m) => m.role === 'assistant').length;
    const who = identify(first);
    if (!who) return undefined;
    if (who.role === 'builder' && who.taskId === STORM_TASK && this.#stormLeft > 0) {
      this.#stormLeft--;
      this.#serve(who, 'anthropic', 0, true);
      return faults.overloaded({ headers: { 'retry-after-ms': '5' } });
    }
    const delay = { firstByteMs: this.#responseMs };
    this.#serve(who, 'anthropic', this.#responseMs, false);
    if (who.role === 'reviewer') {
      const round = Number(/^Review round (\d+)/.exec(first)?.[1] ?? '1');
      return { toolUses: [{ name: 'submit_review', input: review(who.taskId, round) }], delay };
    }
    if (who.role === 'planner')
      return { toolUses: [{ name: 'answer_question', input: { answer: 'Write "d".' } }], delay };
    const move = SCRIPT[who.taskId]?.moves[steps];
    if (move === undefined) return undefined;
    return { toolUses: [toolUse(move)], delay };
  };

  /** The OpenAI-compatible server's handler: the storm task's builder after the switch. */
  readonly chat = (request: ChatRequest): ChatTurn | undefined => {
    const body = request.body as { messages?: Array<{ role: string; content?: unknown }> };
    const messages = body.messages ?? [];
    const first = textOf(messages.find((m) => m.role === 'user')?.content);
    const steps = messages.filter((m) => m.role === 'assistant').length;
    const who = identify(first);
    if (!who) return undefined;
    this.#serve(who, 'openai', this.#responseMs, false);
    const move = SCRIPT[who.taskId]?.moves[steps];
    if (move === undefined) return undefined;
    const use = toolUse(move);
    return {
      toolCalls: [{ name: use.name, arguments: use.input }],
      delay: { firstByteMs: this.#responseMs },
    };
  };

  #serve(
    who: { taskId: string; role: Role },
    provider: Served['provider'],
    delayMs: number,
    fault: boolean,
  ): void {
    this.served.push({ ...who, provider, at: Date.now(), delayMs, fault });
  }
}

/** Which conversation a request belongs to, from its first message (see plan-reviewer.ts, planner-answers.ts, agent-build.ts). */
export function identify(first: string): { taskId: string; role: Role } | null {
  const asking = /The task asking \((\w+)\)/.exec(first);
  if (first.startsWith('The plan ') && asking?.[1]) return { taskId: asking[1], role: 'planner' };
  const title = new RegExp(`${TITLE} (\\w+)`).exec(first)?.[1];
  if (!title) return null;
  return { taskId: title, role: first.startsWith('Review round') ? 'reviewer' : 'builder' };
}

function review(taskId: string, round: number): Record<string, unknown> {
  if (round > 1) return { verdict: 'approve', summary: 'Meets the criterion.', risks: [] };
  return {
    verdict: 'request_changes',
    summary: 'The file is a draft.',
    findings: [
      {
        file: `parts/${taskId}.txt`,
        startLine: 1,
        endLine: 1,
        severity: 'major',
        claim: 'The file holds a draft, not what the task asks for',
        evidence: `parts/${taskId}.txt reads "draft"`,
        suggestedFix: `Write "${taskId}" to parts/${taskId}.txt`,
      },
    ],
    risks: [],
  };
}

function toolUse(move: Move): { name: string; input: Record<string, unknown> } {
  if (move === 'done') return { name: 'finish', input: { status: 'COMPLETE', summary: 'Done.' } };
  if ('ask' in move)
    return {
      name: 'finish',
      input: { status: 'NEEDS_CLARIFICATION', summary: 'A question first.', question: move.ask },
    };
  return { name: 'bash', input: { command: move.bash } };
}

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: { text?: unknown }) => (typeof b.text === 'string' ? b.text : ''))
    .join('\n');
}
