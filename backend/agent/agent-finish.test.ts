/** The structured finish: the agent's `finish` report through the real loop (real SDK, messages server, real PTY). */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { FinishReport } from '../protocol/agent.ts';
import { Harness, resultText } from './testing/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

const finish = (input: Partial<FinishReport> & { status: FinishReport['status'] }) => ({
  toolUses: [{ name: 'finish', input: { summary: 'Did it.', ...input } }],
});

describe('structured finish', () => {
  test('COMPLETE ends the run done, with the report in the summary, its event and the log, and no further request', async () => {
    h = await Harness.start({
      server: {
        script: [
          finish({
            status: 'COMPLETE',
            summary: 'Added the flag.\nTests pass.',
            assumptions: ['Node 22'],
          }),
        ],
      },
    });
    const { id } = await h.manager.start({ task: 'add a flag', workspace: h.folder('ws') });
    const done = await h.waitForState(id, 'done');
    assert.equal(done.stateReason, 'Complete: Added the flag.');
    assert.deepEqual(done.report, {
      status: 'COMPLETE',
      summary: 'Added the flag.\nTests pass.',
      assumptions: ['Node 22'],
      blockers: [],
      question: null,
    });
    assert.equal(h.eventsOf('agent.finish', id)[0]?.report.status, 'COMPLETE');
    assert.equal(h.server.messageRequests.length, 1);
    assert.equal(h.manager.history()[0]?.report?.summary, 'Added the flag.\nTests pass.');
  });

  test('NEEDS_CLARIFICATION waits for an answer to its question, and the answer resumes the agent', async () => {
    h = await Harness.start({
      server: {
        script: [
          finish({
            status: 'NEEDS_CLARIFICATION',
            summary: 'Two ways to do it.',
            question: 'SQLite or Postgres?',
          }),
          finish({ status: 'COMPLETE' }),
        ],
      },
    });
    const { id } = await h.manager.start({ task: 'add storage', workspace: h.folder('ws') });
    const waiting = await h.waitForState(id, 'waiting_answer');
    assert.equal(waiting.pendingQuestion?.question, 'SQLite or Postgres?');
    assert.equal(waiting.report?.status, 'NEEDS_CLARIFICATION');
    h.manager.answer(id, 'SQLite');
    await h.waitForState(id, 'done');
    assert.equal(resultText(h.toolResults(1)[0]?.content), 'The user answered: SQLite');
  });

  test('BLOCKED asks how to proceed past its blockers, and the answer resumes the agent', async () => {
    h = await Harness.start({
      server: {
        script: [
          finish({
            status: 'BLOCKED',
            summary: 'Cannot build.',
            blockers: ['cargo is not installed'],
          }),
          finish({ status: 'COMPLETE' }),
        ],
      },
    });
    const { id } = await h.manager.start({ task: 'build it', workspace: h.folder('ws') });
    const waiting = await h.waitForState(id, 'waiting_answer');
    assert.equal(
      waiting.pendingQuestion?.question,
      'I am blocked: cargo is not installed. How should I proceed?',
    );
    h.manager.answer(id, 'Installed it now.');
    await h.waitForState(id, 'done');
    assert.equal(resultText(h.toolResults(1)[0]?.content), 'The user answered: Installed it now.');
  });

  test('a report that needs clarification but asks nothing is an error result the model can fix', async () => {
    h = await Harness.start({
      server: {
        script: [finish({ status: 'NEEDS_CLARIFICATION' }), finish({ status: 'COMPLETE' })],
      },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitForState(id, 'done');
    const [result] = h.toolResults(1);
    assert.equal(result?.is_error, true);
    assert.match(resultText(result?.content), /"question": NEEDS_CLARIFICATION needs the question/);
  });

  test('a message after a COMPLETE report starts a new run that reads it next to the report', async () => {
    h = await Harness.start({
      server: { script: [finish({ status: 'COMPLETE' }), { text: 'Will do.' }] },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitForState(id, 'done');
    await h.manager.steer(id, 'Also update the changelog.');
    await h.waitForRequests(2);
    const last = h.body(1).messages.at(-1);
    assert.deepEqual(
      last?.content.map((b) => b['type']),
      ['tool_result', 'text'],
    );
    assert.equal(last?.content[1]?.['text'], 'Also update the changelog.');
  });
});
