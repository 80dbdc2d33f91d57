import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { DEFAULT_MODEL } from '../provider/models.ts';
import { Harness, resultText } from './testing/harness.ts';

let h: Harness;
afterEach(async () => h.dispose());

describe('agent tool loop (real SDK, messages server, real PTY)', () => {
  test('runs bash in its terminal and returns output and exit code to the model', async () => {
    h = await Harness.start({
      server: {
        script: [
          { toolUses: [{ name: 'bash', input: { command: 'echo from-the-pty; (exit 3)' } }] },
          { text: 'All done.' },
        ],
      },
    });
    const started = await h.manager.start({ task: 'Say hi', workspace: h.folder('ws') });
    assert.equal(started.model, DEFAULT_MODEL);
    const done = await h.waitForState(started.id, 'done');
    const [result] = h.toolResults(1);
    assert.equal(resultText(result?.content), 'from-the-pty\n\nExit code: 3');
    assert.equal(result?.is_error, false);
    assert.ok(done.ptyId, 'the agent has a terminal the UI can show');
    assert.equal(h.ptys.get(done.ptyId)?.kind, 'agent');
  });

  test('the command is typed in the terminal the user watches', async () => {
    h = await Harness.start({
      server: {
        script: [
          { toolUses: [{ name: 'bash', input: { command: 'echo visible-$((40+2))' } }] },
          { text: 'ok' },
        ],
      },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    const done = await h.waitForState(id, 'done');
    const screen = h.ptys.get(done.ptyId as string)?.replay().data ?? '';
    assert.match(screen, /echo visible-\$\(\(40\+2\)\)/);
    assert.match(screen, /visible-42/);
  });

  test('edits files with the text editor tool inside the workspace', async () => {
    h = await Harness.start({
      server: {
        script: [
          {
            toolUses: [
              {
                name: 'str_replace_based_edit_tool',
                input: { command: 'create', path: 'notes.md', file_text: 'one\n' },
              },
            ],
          },
          {
            toolUses: [
              {
                name: 'str_replace_based_edit_tool',
                input: { command: 'str_replace', path: 'notes.md', old_str: 'one', new_str: 'two' },
              },
            ],
          },
          { text: 'Edited.' },
        ],
      },
    });
    const ws = h.folder('ws');
    const { id } = await h.manager.start({ task: 'edit', workspace: ws });
    await h.waitForState(id, 'done');
    assert.equal(readFileSync(join(ws, 'notes.md'), 'utf8'), 'two\n');
  });

  test('a path escaping the workspace gets an is_error result and the loop goes on', async () => {
    h = await Harness.start({
      server: {
        script: [
          {
            toolUses: [
              {
                name: 'str_replace_based_edit_tool',
                input: { command: 'view', path: '../../etc/passwd' },
              },
            ],
          },
          { text: 'I will stay inside.' },
        ],
      },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitForState(id, 'done');
    const [result] = h.toolResults(1);
    assert.equal(result?.is_error, true);
    assert.match(resultText(result?.content), /outside the workspace/);
  });

  test('malformed tool input gets an is_error result naming the problem, and the loop goes on', async () => {
    h = await Harness.start({
      server: {
        script: [
          {
            toolUses: [
              { name: 'str_replace_based_edit_tool', input: { command: 'create', path: 'a.txt' } },
            ],
          },
          { toolUses: [{ name: 'list_files', input: {} }] },
          { text: 'Recovered.' },
        ],
      },
    });
    const ws = h.folder('ws');
    writeFileSync(join(ws, 'seen.txt'), '');
    const { id } = await h.manager.start({ task: 't', workspace: ws });
    await h.waitForState(id, 'done');
    const [bad] = h.toolResults(1);
    assert.equal(bad?.is_error, true);
    assert.match(resultText(bad?.content), /"file_text"/);
    assert.equal(resultText(h.toolResults(2)[0]?.content), 'seen.txt');
  });

  test('requests carry cache breakpoints on tools, system and the conversation tail', async () => {
    h = await Harness.start({
      server: { script: [{ toolUses: [{ name: 'list_files', input: {} }] }, { text: 'ok' }] },
    });
    const { id } = await h.manager.start({
      task: 't',
      workspace: h.folder('ws'),
      persona: 'You are careful.',
    });
    await h.waitForState(id, 'done');
    const body = h.body(1) as unknown as {
      tools: Array<{ cache_control?: unknown }>;
      system: Array<{ text: string; cache_control?: unknown }>;
      messages: Array<{ content: Array<{ cache_control?: unknown }> }>;
    };
    assert.deepEqual(body.tools.at(-1)?.cache_control, { type: 'ephemeral' });
    assert.equal(body.system.at(-1)?.text, 'You are careful.');
    assert.deepEqual(body.system.at(-1)?.cache_control, { type: 'ephemeral' });
    assert.deepEqual(body.messages.at(-1)?.content.at(-1)?.cache_control, { type: 'ephemeral' });
  });

  test('the prefix is byte-identical across turns, so the second turn reads the cache', async () => {
    h = await Harness.start({
      server: {
        cacheMinTokens: 100,
        script: [
          { toolUses: [{ name: 'list_files', input: {} }] },
          { toolUses: [{ name: 'list_files', input: {} }] },
          { text: 'ok' },
        ],
      },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitForState(id, 'done');
    const usage = h.server.messageRequests.map((r) => r.usage);
    assert.ok((usage[0]?.cache_creation_input_tokens ?? 0) > 0, 'the first turn writes the cache');
    assert.ok((usage[1]?.cache_read_input_tokens ?? 0) > 0, 'the next turn reads it');
  });

  test('usage and cost are recorded per turn and summed', async () => {
    h = await Harness.start({
      server: { script: [{ toolUses: [{ name: 'list_files', input: {} }] }, { text: 'ok' }] },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    const done = await h.waitForState(id, 'done');
    const sent = h.server.messageRequests.reduce(
      (sum, r) =>
        sum +
        (r.usage?.input_tokens ?? 0) +
        (r.usage?.cache_creation_input_tokens ?? 0) +
        (r.usage?.cache_read_input_tokens ?? 0),
      0,
    );
    const stored =
      done.usage.inputTokens +
      done.usage.cacheCreationInputTokens +
      done.usage.cacheReadInputTokens;
    assert.equal(done.usage.requests, 2);
    assert.equal(stored, sent);
    assert.ok(done.usage.costUsd > 0);
    const usageEvents = h.events.filter((e) => e.event === 'agent.usage');
    assert.equal(usageEvents.length, 2);
  });

  test('the transcript streams text deltas and stores whole messages', async () => {
    h = await Harness.start({ server: { script: [{ text: 'Hello there, developer.' }] } });
    const { id } = await h.manager.start({ task: 'greet', workspace: h.folder('ws') });
    await h.waitForState(id, 'done');
    const deltas = h.events.flatMap((e) =>
      e.event === 'agent.transcript' && e.data.entry.kind === 'text_delta'
        ? [e.data.entry.text]
        : [],
    );
    assert.equal(deltas.join(''), 'Hello there, developer.');
    const detail = h.manager.get(id);
    assert.deepEqual(
      detail.transcript.map((m) => m.role),
      ['user', 'assistant'],
    );
    assert.deepEqual(detail.transcript[1]?.content, [
      { type: 'text', text: 'Hello there, developer.' },
    ]);
  });

  test('in a git repository the agent works in its own worktree and branch', async () => {
    h = await Harness.start({
      server: {
        script: [
          { toolUses: [{ name: 'bash', input: { command: 'git branch --show-current' } }] },
          { text: 'ok' },
        ],
      },
    });
    const repo = h.folder('repo');
    const { execFileSync } = await import('node:child_process');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'README.md'), 'x');
    git('add', '.');
    git('-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
    const started = await h.manager.start({ task: 't', workspace: repo });
    assert.match(started.branch ?? '', /^troika\/t-[0-9a-f]{4}$/, 'named after the task');
    assert.notEqual(started.workDir, repo);
    await h.waitForState(started.id, 'done');
    assert.equal(resultText(h.toolResults(1)[0]?.content), started.branch);
  });
});
