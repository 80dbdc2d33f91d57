/**
 * The benchmark's staleness check: every call a hook answered in the tool's
 * place (a token-cache hit, a reference, or any other answer standing for an
 * earlier result) is compared with a fresh run of the tool on the workspace
 * as it was at that moment. The workspace is copied synchronously when the
 * answer is given (before the agent's next call can change it); the fresh run
 * happens after the session, on the copy.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { defaultTools } from '../tools/registry.ts';
import { fileToolContext } from '../tools/test-context.ts';
import { applyChangeAnswer } from '../../hooks/builtin/change-answer.ts';
import { isPlaceholder, pointsTo } from './honest-model.ts';

interface Snapshot {
  readonly toolUseId: string;
  readonly answeredByHook: boolean;
  readonly files: ReadonlyMap<string, Buffer>;
}

export interface StaleAnswer {
  readonly toolUseId: string;
  readonly call: string;
}

function readTree(root: string, dir = root, into = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readTree(root, path, into);
    else if (entry.isFile()) into.set(relative(root, path), readFileSync(path));
  }
  return into;
}

type Body = { messages?: Array<{ content?: unknown }> };

/**
 * How an answer's text reads to the model once what it points to is followed.
 * `expand` turns an answer that stands for an earlier result (a reference, a
 * diff, a range) into the content it claims; the default follows references.
 */
export type Expand = (answer: string, earlier: (id: string) => string | undefined) => string;

/** References stand for the result they name; change answers for it with the change applied. */
const followReference: Expand = (answer, earlier) => {
  const target = pointsTo(answer);
  const base = target === undefined ? undefined : earlier(target);
  if (base === undefined) return answer;
  return applyChangeAnswer(answer, base) ?? base;
};

export class AnswerCheck {
  readonly #workspace: string;
  readonly #snapshots: Snapshot[] = [];

  constructor(workspace: string) {
    this.#workspace = workspace;
  }

  /**
   * Call `toolUseId` just ran or was answered: keep the workspace as it is
   * now. A call the tool ran is checked only if its result came back as an
   * answer standing for an earlier one (a change answer).
   */
  snapshot(toolUseId: string, answeredByHook: boolean): void {
    this.#snapshots.push({ toolUseId, answeredByHook, files: readTree(this.#workspace) });
  }

  /** Answers checked by the last {@link stale} call. */
  answers = 0;

  /** The answers that differ from a fresh run at their moment; `bodies` are the request bodies the client sent. */
  async stale(
    bodies: readonly unknown[],
    expand: Expand = followReference,
  ): Promise<StaleAnswer[]> {
    const calls = new Map<string, { name: string; input: unknown }>();
    const results = new Map<string, string>();
    for (const body of bodies)
      for (const message of (body as Body).messages ?? [])
        for (const block of Array.isArray(message.content) ? message.content : []) {
          const b = block as Record<string, unknown>;
          if (b['type'] === 'tool_use')
            calls.set(String(b['id']), { name: String(b['name']), input: b['input'] });
          if (b['type'] === 'tool_result') {
            const content = b['content'];
            const text =
              typeof content === 'string'
                ? content
                : (content as Array<{ text?: string }>).map((c) => c.text ?? '').join('');
            // A result as it was delivered: later requests may show it cleared.
            const id = String(b['tool_use_id']);
            if (!results.has(id) && !isPlaceholder(text)) results.set(id, text);
          }
        }
    const earlier = (id: string): string | undefined => {
      const text = results.get(id);
      return text === undefined ? undefined : expand(text, earlier);
    };
    const tools = defaultTools();
    const stale: StaleAnswer[] = [];
    for (const snapshot of this.#snapshots) {
      const call = calls.get(snapshot.toolUseId);
      const answer = results.get(snapshot.toolUseId);
      if (call === undefined || answer === undefined) continue;
      if (!snapshot.answeredByHook && expand(answer, earlier) === answer) continue;
      this.answers++;
      const dir = mkdtempSync(join(tmpdir(), 'troika-answer-check-'));
      try {
        for (const [path, content] of snapshot.files) {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), content);
        }
        const fresh = await tools.run(call.name, call.input, fileToolContext(dir));
        if (expand(answer, earlier) !== fresh.content)
          stale.push({
            toolUseId: snapshot.toolUseId,
            call: `${call.name} ${JSON.stringify(call.input)}`,
          });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return stale;
  }
}
