import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { ProtocolError } from '../protocol/envelope.ts';
import { isRunning } from '../pty/process-alive.ts';
import { faults, type Turn, type TurnHandler } from '../testing/messages-server/index.ts';
import { Deferred } from './control.ts';
import { Harness, resultText } from './testing/harness.ts';

let h: Harness;
afterEach(async () => h.dispose());

/** Plays `turns` in order; a function turn is awaited, so a test can hold the model's reply. */
function script(...turns: Array<Turn | (() => Promise<Turn>)>): TurnHandler {
  return (_request, { turnIndex }) => {
    const turn = turns[turnIndex];
    return typeof turn === 'function' ? turn() : turn;
  };
}

function held(turn: Turn): { gate: Deferred<void>; turn: () => Promise<Turn> } {
  const gate = new Deferred<void>();
  return { gate, turn: () => gate.promise.then(() => turn) };
}

const toolCallSeen = (id: string) => (e: { event: string; data: unknown }) =>
  e.event === 'agent.transcript' &&
  (e.data as { agentId: string; entry: { kind: string } }).agentId === id &&
  (e.data as { entry: { kind: string } }).entry.kind === 'tool_call';

describe('pause and resume', () => {
  test('pause takes effect at the next safe point, before the tool runs', async () => {
    const first = held({ toolUses: [{ name: 'bash', input: { command: 'touch ran.txt' } }] });
    h = await Harness.start({ server: { script: script(first.turn, { text: 'done' }) } });
    const ws = h.folder('ws');
    const { id } = await h.manager.start({ task: 't', workspace: ws });
    await h.waitForRequests(1);
    h.manager.pause(id, false);
    first.gate.resolve();
    await h.waitForState(id, 'paused');
    assert.equal(existsSync(join(ws, 'ran.txt')), false);
    assert.equal(h.server.messageRequests.length, 1);
    h.manager.resume(id);
    await h.waitForState(id, 'done');
    assert.equal(existsSync(join(ws, 'ran.txt')), true);
  });

  test('pause with interrupt stops the running command and says so to the model', async () => {
    h = await Harness.start({
      server: {
        script: script(
          { toolUses: [{ name: 'bash', input: { command: 'sleep 30' } }] },
          { text: 'ok' },
        ),
      },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitFor(toolCallSeen(id));
    await new Promise((resolve) => setTimeout(resolve, 200));
    h.manager.pause(id, true);
    await h.waitForState(id, 'paused');
    await h.manager.resume(id);
    await h.waitForState(id, 'done');
    const [result] = h.toolResults(1);
    assert.equal(result?.is_error, true);
    assert.match(resultText(result?.content), /interrupted by the user/);
  });

  test('resuming an agent that is not paused is a conflict', async () => {
    const first = held({ text: 'ok' });
    h = await Harness.start({ server: { script: script(first.turn) } });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await assert.rejects(
      h.manager.resume(id),
      (e: unknown) => e instanceof ProtocolError && e.code === 'conflict',
    );
    first.gate.resolve();
  });
});

describe('steer', () => {
  test('a steer message is attached to the next tool result without breaking the turn', async () => {
    const first = held({ toolUses: [{ name: 'list_files', input: {} }] });
    h = await Harness.start({ server: { script: script(first.turn, { text: 'ok' }) } });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitForRequests(1);
    const summary = await h.manager.steer(id, 'Use tabs, not spaces.');
    assert.equal(summary.queuedMessages, 1);
    first.gate.resolve();
    await h.waitForState(id, 'done');
    const last = h.body(1).messages.at(-1);
    assert.deepEqual(
      last?.content.map((b) => b['type']),
      ['tool_result', 'text'],
    );
    assert.equal(last?.content[1]?.['text'], 'Use tabs, not spaces.');
  });

  test('a steer during a reply without tool calls becomes the next user message', async () => {
    const first = held({ text: 'I think I am done.' });
    h = await Harness.start({
      server: { script: script(first.turn, { text: 'Adding tests too.' }) },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitForRequests(1);
    await h.manager.steer(id, 'Also add tests.');
    first.gate.resolve();
    await h.waitForState(id, 'done');
    assert.deepEqual(
      h.body(1).messages.map((m) => m.role),
      ['user', 'assistant', 'user'],
    );
    assert.equal(h.body(1).messages[2]?.content[0]?.['text'], 'Also add tests.');
    assert.deepEqual(h.stateEvents(id).filter((s) => s === 'done').length, 1);
  });

  test('a steer to a finished agent starts a new turn', async () => {
    h = await Harness.start({ server: { script: script({ text: 'first' }, { text: 'second' }) } });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitForState(id, 'done');
    await h.manager.steer(id, 'One more thing.');
    await h.waitFor(
      (e) =>
        e.event === 'agent.state' &&
        e.data.agentId === id &&
        e.data.state === 'done' &&
        h.server.messageRequests.length === 2,
    );
    assert.equal(h.body(1).messages.at(-1)?.content[0]?.['text'], 'One more thing.');
  });
});

describe('approval', () => {
  test('a risky command waits for approval and runs once approved', async () => {
    h = await Harness.start({
      server: {
        script: script(
          { toolUses: [{ name: 'bash', input: { command: 'rm -rf build' } }] },
          { text: 'ok' },
        ),
      },
    });
    const ws = h.folder('ws');
    mkdirSync(join(ws, 'build'));
    const { id } = await h.manager.start({ task: 't', workspace: ws });
    const waiting = await h.waitForState(id, 'waiting_approval');
    assert.equal(waiting.pendingApproval?.preview, '$ rm -rf build');
    assert.match(waiting.pendingApproval?.reason ?? '', /rm -rf/);
    assert.equal(existsSync(join(ws, 'build')), true, 'nothing runs before the decision');
    h.manager.approve(id, waiting.pendingApproval?.toolUseId ?? '');
    await h.waitForState(id, 'done');
    assert.equal(existsSync(join(ws, 'build')), false);
    assert.equal(h.toolResults(1)[0]?.is_error, false);
  });

  test('a denied command does not run and the model is told why', async () => {
    h = await Harness.start({
      server: {
        script: script(
          { toolUses: [{ name: 'bash', input: { command: 'git push origin main' } }] },
          { text: 'ok' },
        ),
      },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    const waiting = await h.waitForState(id, 'waiting_approval');
    h.manager.deny(id, waiting.pendingApproval?.toolUseId ?? '', 'not before review');
    await h.waitForState(id, 'done');
    const [result] = h.toolResults(1);
    assert.equal(result?.is_error, true);
    assert.match(resultText(result?.content), /denied this tool call: not before review/);
  });

  test('approving another tool call than the pending one is a conflict', async () => {
    h = await Harness.start({
      server: {
        script: script(
          { toolUses: [{ name: 'bash', input: { command: 'sudo true' } }] },
          { text: 'ok' },
        ),
      },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitForState(id, 'waiting_approval');
    assert.throws(
      () => h.manager.approve(id, 'toolu_other'),
      (e: unknown) => e instanceof ProtocolError && e.code === 'conflict',
    );
  });
});

describe('questions', () => {
  test('ask_user waits for an answer and gives it to the model', async () => {
    h = await Harness.start({
      server: {
        script: script(
          { toolUses: [{ name: 'ask_user', input: { question: 'Which port?' } }] },
          { text: 'ok' },
        ),
      },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    const waiting = await h.waitForState(id, 'waiting_answer');
    assert.equal(waiting.pendingQuestion?.question, 'Which port?');
    h.manager.answer(id, '8080');
    await h.waitForState(id, 'done');
    assert.equal(resultText(h.toolResults(1)[0]?.content), 'The user answered: 8080');
  });
});

describe('stop', () => {
  test('stop aborts a stream in progress', async () => {
    h = await Harness.start({ server: { script: script(faults.stall({ afterEvents: 4 })) } });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitFor(
      (e) =>
        e.event === 'agent.transcript' &&
        e.data.agentId === id &&
        e.data.entry.kind === 'text_delta',
    );
    const stopped = await h.manager.stop(id);
    assert.equal(stopped.state, 'stopped');
    assert.equal(stopped.stateReason, 'Stopped by the user');
  });

  test('stop interrupts the running command and keeps the transcript resumable', async () => {
    h = await Harness.start({
      server: { script: script({ toolUses: [{ name: 'bash', input: { command: 'sleep 30' } }] }) },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitFor(toolCallSeen(id));
    const stopped = await h.manager.stop(id);
    assert.equal(stopped.state, 'stopped');
    assert.equal(stopped.resumable, true);
    const last = h.manager.get(id).transcript.at(-1);
    assert.equal(last?.role, 'user');
    assert.equal(last?.content[0]?.type, 'tool_result');
  });

  test('stop kills a command that ignores Ctrl-C, whole process group, and its pid is gone', async () => {
    h = await Harness.start({
      server: {
        script: script({
          toolUses: [
            {
              name: 'bash',
              input: { command: `trap '' INT; sh -c 'echo $$ > pid; exec sleep 100000'` },
            },
          ],
        }),
      },
      manager: {
        shell: {
          sourceUserRc: false,
          shell: '/bin/bash',
          graces: { interruptMs: 300, termMs: 300, killMs: 300, checkMs: 100 },
        },
      },
    });
    const workspace = h.folder('ws');
    const { id } = await h.manager.start({ task: 't', workspace });
    const pidFile = join(workspace, 'pid');
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '')
      await new Promise((resolve) => setTimeout(resolve, 50));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(isRunning(pid), true);
    const stopped = await h.manager.stop(id);
    assert.equal(stopped.state, 'stopped');
    assert.equal(isRunning(pid), false);
    const last = h.manager.get(id).transcript.at(-1);
    assert.match(
      JSON.stringify(last?.content),
      /interrupted by the user; it ignored Ctrl-C and was killed \(SIGTERM\)/,
    );
  });

  test('stop while waiting for approval ends the wait', async () => {
    h = await Harness.start({
      server: { script: script({ toolUses: [{ name: 'bash', input: { command: 'rm -rf x' } }] }) },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitForState(id, 'waiting_approval');
    const stopped = await h.manager.stop(id);
    assert.equal(stopped.state, 'stopped');
    assert.equal(stopped.pendingApproval, null);
  });
});

describe('concurrency', () => {
  test('a fourth agent is refused with a clear error while three run', async () => {
    const gate = new Deferred<void>();
    h = await Harness.start({
      server: { script: () => gate.promise.then((): Turn => ({ text: 'ok' })) },
    });
    for (let i = 0; i < 3; i++)
      await h.manager.start({ task: `t${i}`, workspace: h.folder(`ws${i}`) });
    await assert.rejects(
      h.manager.start({ task: 't4', workspace: h.folder('ws4') }),
      (e: unknown) =>
        e instanceof ProtocolError &&
        e.code === 'limit_reached' &&
        /All 3 agent slots are taken: "t0" \(running\), "t1" \(running\), "t2" \(running\)/.test(
          e.message,
        ),
    );
    gate.resolve();
  });

  test("an agent started in another's slot runs while three hold theirs, and counts with it", async () => {
    const gate = new Deferred<void>();
    h = await Harness.start({
      server: { script: () => gate.promise.then((): Turn => ({ text: 'ok' })) },
    });
    const holders = [];
    for (let i = 0; i < 3; i++)
      holders.push(await h.manager.start({ task: `t${i}`, workspace: h.folder(`ws${i}`) }));
    const lender = holders[0]?.id as string;
    const borrower = await h.manager.start({
      task: 'answer t0',
      workspace: h.folder('ws0'),
      slotOf: lender,
    });
    assert.equal(borrower.slotOf, lender);
    assert.equal(h.manager.activeCount, 3);
    // The slot is the lender's: a fourth agent of its own is still refused.
    await assert.rejects(
      h.manager.start({ task: 't4', workspace: h.folder('ws4') }),
      (e: unknown) => e instanceof ProtocolError && e.code === 'limit_reached',
    );
    // The lender gone, the borrower holds a slot of its own.
    await h.manager.stop(lender);
    assert.equal(h.manager.activeCount, 3);
    gate.resolve();
  });

  test('a slot frees when an agent finishes', async () => {
    const gate = new Deferred<void>();
    h = await Harness.start({
      server: {
        script: (_r, { turnIndex }) =>
          turnIndex === 0 ? { text: 'quick' } : gate.promise.then((): Turn => ({ text: 'ok' })),
      },
    });
    const first = await h.manager.start({ task: 'quick', workspace: h.folder('ws0') });
    await h.waitForState(first.id, 'done');
    for (let i = 1; i < 4; i++)
      await h.manager.start({ task: `t${i}`, workspace: h.folder(`ws${i}`) });
    assert.equal(h.manager.activeCount, 3);
    gate.resolve();
  });
});
