/**
 * The agent's shell starts alongside its first model request: a slow user rc
 * file (pyenv, nvm, conda…) no longer holds the model back; only a `bash`
 * call waits for the shell, and a shell that cannot start says so.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import type { Turn, TurnHandler } from '../testing/messages-server/index.ts';
import { Harness, resultText, type RecordedEvent } from './testing/harness.ts';
import type { ToolTiming } from './tool-call.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

const dir = mkdtempSync(join(tmpdir(), 'troika-shell-warmup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A real bash whose user rc file waits until the test creates `gate`: the shell is not ready before. */
function slowBash(name: string): { shell: string; gate: string } {
  const home = join(dir, name, 'home');
  mkdirSync(home, { recursive: true });
  const gate = join(dir, name, 'gate');
  writeFileSync(join(home, '.bashrc'), `while [ ! -e '${gate}' ]; do sleep 0.05; done\n`);
  // Named `bash`, so Troika launches it as bash with its rc file, which sources "$HOME/.bashrc".
  const shell = join(dir, name, 'bash');
  writeFileSync(shell, `#!/bin/sh\nHOME='${home}' exec /bin/bash "$@"\n`);
  chmodSync(shell, 0o755);
  return { shell, gate };
}

function script(...turns: Turn[]): TurnHandler {
  return (_request, { turnIndex }) => turns[turnIndex] ?? { text: 'done' };
}

const transcriptOf =
  (id: string, kind: string) =>
  (e: RecordedEvent): boolean =>
    e.event === 'agent.transcript' && e.data.agentId === id && e.data.entry.kind === kind;

describe('the shell starts alongside the first model request', () => {
  test('the model is asked before the shell is ready; a bash call waits for it and gets its output', async () => {
    const { shell, gate } = slowBash('slow');
    const timings: ToolTiming[] = [];
    h = await Harness.start({
      server: {
        script: script({ toolUses: [{ name: 'bash', input: { command: 'echo warm-$((40+2))' } }] }),
      },
      manager: {
        // Long enough that the old start (waiting for the prompt) would hold the request past the harness's wait.
        shell: { sourceUserRc: true, shell, detectMs: 120_000 },
        onToolTiming: (_id, timing) => timings.push(timing),
      },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    // The gate is still closed: the shell cannot have printed its first prompt.
    await h.waitForRequests(1);
    await h.waitFor(transcriptOf(id, 'tool_call'));
    assert.equal(h.events.filter(transcriptOf(id, 'tool_result')).length, 0);
    // The terminal is already open for the user's panel, shell starting in it.
    assert.notEqual(h.manager.get(id).ptyId, null);
    writeFileSync(gate, '');
    await h.waitForState(id, 'done');
    const [result] = h.toolResults(1);
    assert.match(resultText(result?.content), /warm-42/);
    assert.notEqual(result?.is_error, true);
    // The wait is told apart from the tool's own time.
    const entry = h.events.find(transcriptOf(id, 'tool_result'));
    assert.ok(entry?.event === 'agent.transcript' && entry.data.entry.kind === 'tool_result');
    assert.ok((entry.data.entry.shellWaitMs ?? 0) > 0);
    assert.ok((timings[0]?.shellWaitMs ?? 0) > 0);
    assert.equal(h.eventsOf('agent.error', id).length, 0);
  });

  test('a shell that cannot start is told in the agent events and at the bash call; the run goes on', async () => {
    h = await Harness.start({
      server: {
        script: script({ toolUses: [{ name: 'bash', input: { command: 'echo hi' } }] }),
      },
      manager: { shell: { sourceUserRc: false, shell: join(dir, 'missing', 'bash') } },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitForState(id, 'done');
    const errors = h.eventsOf('agent.error', id);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.kind, 'shell');
    assert.match(errors[0]?.message ?? '', /shell could not start: Shell ".*" was not found/);
    const [result] = h.toolResults(1);
    assert.equal(result?.is_error, true);
    assert.match(resultText(result?.content), /The agent's shell could not start: Shell ".*"/);
  });

  test('stopping the agent while its shell starts ends the waiting bash call and the run', async () => {
    const { shell } = slowBash('never');
    h = await Harness.start({
      server: {
        script: script({ toolUses: [{ name: 'bash', input: { command: 'echo never' } }] }),
      },
      manager: { shell: { sourceUserRc: true, shell, detectMs: 120_000 } },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitFor(transcriptOf(id, 'tool_call'));
    const stopped = await h.manager.stop(id);
    assert.equal(stopped.state, 'stopped');
    const last = h.manager.get(id).transcript.at(-1);
    assert.match(
      JSON.stringify(last?.content),
      /interrupted by the user before the shell was ready; it did not run/,
    );
    assert.equal(h.server.messageRequests.length, 1);
  });
});
