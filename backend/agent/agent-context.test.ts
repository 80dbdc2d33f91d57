/**
 * The context window in the real loop (real SDK, messages server, real PTY),
 * with a small window configured so a few file reads fill it.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { RecordedRequest, Turn } from '../testing/messages-server/index.ts';
import { COMPACT_AT_FRACTION, SUMMARY_INSTRUCTION } from './compaction.ts';
import { Harness, resultText, type HarnessOptions } from './testing/harness.ts';

/** Base request ≈ 1,060 tokens; each file read adds ≈ 1,450: the fourth request (≈ 5,450) crosses 80% (4,800), the third (≈ 3,950) does not. */
const WINDOW = 6_000;
const TASK = 'Read a.ts, b.ts and c.ts, then report.';
const SUMMARY = 'SUMMARY-OF-WORK: read a.ts and b.ts; next, read c.ts and report.';
const FILE = Array.from(
  { length: 100 },
  (_, i) => `// line ${i} of a file that fills the context window`,
).join('\n');

const view = (path: string): Turn => ({
  toolUses: [{ name: 'str_replace_based_edit_tool', input: { command: 'view', path } }],
});
const finish: Turn = {
  toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary: 'Read them.' } }],
};

let h: Harness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

type Body = {
  messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
  tool_choice?: unknown;
};

function isSummaryRequest(request: RecordedRequest): boolean {
  const last = (request.body as Body).messages.at(-1);
  return last?.content.at(-1)?.['text'] === SUMMARY_INSTRUCTION;
}

/** Plays `turns` in order, answering every summary request with {@link SUMMARY}. */
async function start(
  turns: Turn[],
  options: Partial<HarnessOptions> = {},
): Promise<{ harness: Harness; ws: string }> {
  const queue = [...turns];
  const harness = await Harness.start({
    server: {
      script: {
        handler: (request) =>
          isSummaryRequest(request)
            ? { text: SUMMARY }
            : (queue.shift() ?? { text: 'out of script' }),
      },
    },
    manager: {
      limits: { retryBaseDelayMs: 10, commandTimeoutMs: 15_000, contextWindowTokens: WINDOW },
    },
    ...options,
  });
  h = harness;
  const ws = harness.folder('ws');
  for (const name of ['a.ts', 'b.ts', 'c.ts']) writeFileSync(join(ws, name), FILE);
  return { harness, ws };
}

describe('context window', () => {
  test('at 80% of the window the older turns are summarized: the task stays verbatim, the latest turn stays whole, and it is an event', async () => {
    const { harness, ws } = await start([view('a.ts'), view('b.ts'), view('c.ts'), finish]);
    const { id } = await harness.manager.start({ task: TASK, workspace: ws });
    await harness.waitForState(id, 'done');
    const [event] = harness.eventsOf('agent.context', id);
    assert.equal(event?.kind, 'compacted');
    assert.ok(
      (event?.tokensBefore ?? 0) >= COMPACT_AT_FRACTION * WINDOW,
      `compacted at ${event?.tokensBefore}`,
    );
    assert.ok(
      (event?.tokensAfter ?? WINDOW) < (event?.tokensBefore ?? 0) - 2_000,
      `left ${event?.tokensAfter}`,
    );
    assert.deepEqual(
      [event?.keptFromSeq, event?.summarizedMessages, event?.summary],
      [5, 4, SUMMARY],
    );

    const requests = harness.server.messageRequests.map((r) => r.body as Body);
    const summaryIndex = harness.server.messageRequests.findIndex(isSummaryRequest);
    assert.equal(summaryIndex, 3);
    assert.deepEqual(requests[summaryIndex]?.tool_choice, { type: 'none' });
    const after = requests[summaryIndex + 1];
    assert.equal(after?.messages[0]?.content[0]?.['text'], TASK);
    assert.match(String(after?.messages[0]?.content.at(-1)?.['text']), /SUMMARY-OF-WORK/);
    const kept = after?.messages[1]?.content.find((b) => b['type'] === 'tool_use');
    assert.equal(after?.messages[2]?.content[0]?.['tool_use_id'], kept?.['id']);
    assert.match(resultText(after?.messages[2]?.content[0]?.['content']), /line 99/);
  });

  test('the stored transcript keeps every message after a compaction', async () => {
    const { harness, ws } = await start([view('a.ts'), view('b.ts'), view('c.ts'), finish]);
    const { id } = await harness.manager.start({ task: TASK, workspace: ws });
    await harness.waitForState(id, 'done');
    assert.equal(harness.eventsOf('agent.context', id).length, 1);
    assert.equal(harness.manager.get(id).transcript.length, 9);
  });

  test('the usage event counts the conversation against the window', async () => {
    const { harness, ws } = await start([view('a.ts'), finish]);
    const { id } = await harness.manager.start({ task: TASK, workspace: ws });
    await harness.waitForState(id, 'done');
    const [first, second] = harness.eventsOf('agent.usage', id);
    assert.equal(first?.context?.window, WINDOW);
    assert.equal(
      first?.context?.tokens,
      first.turn.inputTokens +
        first.turn.cacheCreationInputTokens +
        first.turn.cacheReadInputTokens,
    );
    assert.ok((second?.context?.tokens ?? 0) > (first?.context?.tokens ?? 0) + 1_000);
  });

  test('after a compaction, a file read again comes in full: the summarized result can no longer be referred to', async () => {
    const { harness, ws } = await start(
      [view('a.ts'), view('b.ts'), view('c.ts'), view('a.ts'), finish],
      { hooks: {} },
    );
    const { id } = await harness.manager.start({ task: TASK, workspace: ws });
    await harness.waitForState(id, 'done');
    assert.equal(harness.eventsOf('agent.context', id).length, 1);
    const reread = harness.toolResults(harness.server.messageRequests.length - 1)[0];
    assert.match(resultText(reread?.content), /line 99/);
  });

  test('a compaction is restored when the agent is loaded again after a restart', async () => {
    const { harness, ws } = await start([
      view('a.ts'),
      view('b.ts'),
      view('c.ts'),
      finish,
      { text: 'Noted.' },
    ]);
    const { id } = await harness.manager.start({ task: TASK, workspace: ws });
    await harness.waitForState(id, 'done');
    const server = harness.server;
    const dataDir = harness.dataDir;
    await harness.manager.dispose();
    const again = await Harness.start({
      sharedServer: server,
      dataDir,
      manager: {
        limits: { retryBaseDelayMs: 10, commandTimeoutMs: 15_000, contextWindowTokens: WINDOW },
      },
    });
    try {
      await again.manager.steer(id, 'One more thing.');
      await again.waitForState(id, 'done');
      const last = again.body(server.messageRequests.length - 1);
      assert.equal(last.messages[0]?.content[0]?.['text'], TASK);
      assert.match(String(last.messages[0]?.content.at(-1)?.['text']), /SUMMARY-OF-WORK/);
      assert.equal(last.messages[1]?.role, 'assistant');
    } finally {
      await again.dispose();
    }
  });
});
