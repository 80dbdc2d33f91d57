/**
 * A repository's Stop hook keeps the agent working, as in Claude Code: the
 * hook (backend/testing/claude-code-fixtures/loop-project/, a Python script
 * reading `transcript_path`) blocks until the transcript shows the tests
 * ran; the agent goes on with the reason as a user message, and is marked
 * done only when the hook lets it stop. A hook that never lets go is cut off
 * after MAX_STOP_HOOK_CONTINUATIONS runs. Real SDK against the local
 * Messages server, real git, PTY, database and transcript files.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TranscriptFiles } from '../hooks/transcript-file.ts';
import { MAX_STOP_HOOK_CONTINUATIONS } from './agent.ts';
import { Harness } from './testing/harness.ts';

const FIXTURE = fileURLToPath(
  new URL('../testing/claude-code-fixtures/loop-project/', import.meta.url),
);

let h: Harness | undefined;
let repo: string | undefined;
afterEach(async () => {
  await h?.dispose();
  if (repo) rmSync(repo, { recursive: true, force: true });
  h = undefined;
  repo = undefined;
});

function loopRepo(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-loop-')));
  cpSync(FIXTURE, dir, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
  return dir;
}

/** The harness with the repository's hooks and each agent's transcript file kept as the app keeps it. */
async function start(script: NonNullable<Parameters<typeof Harness.start>[0]>['server']) {
  const workspace = loopRepo();
  repo = workspace;
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-loop-transcripts-')));
  const mirror: { files?: TranscriptFiles } = {};
  const harness = await Harness.start({
    ...(script !== undefined && { server: script }),
    hooks: {
      hooksFile: join(workspace, '.claude/settings.json'),
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
      transcriptPath: (agentId) => mirror.files?.path(agentId) ?? '',
    },
  });
  const files = new TranscriptFiles({
    dir,
    rows: (agentId) => harness.store.transcript.list(agentId),
    meta: (agentId) => {
      const record = harness.store.agents.get(agentId);
      return record && { cwd: record.workDir, gitBranch: record.branch, model: record.model };
    },
  });
  mirror.files = files;
  harness.store.transcript.observe((agentId, row) => files.put(agentId, row));
  h = harness;
  return { harness, workspace };
}

function userTexts(harness: Harness, request: number): string[] {
  return harness
    .body(request)
    .messages.filter((m) => m.role === 'user')
    .flatMap((m) => m.content.flatMap((b) => (b['type'] === 'text' ? [String(b['text'])] : [])));
}

test('a Stop hook that reads the transcript keeps the agent going until the tests ran', async () => {
  const { harness, workspace } = await start({
    script: [
      { text: 'Fixed the parser.' },
      { toolUses: [{ name: 'bash', input: { command: './run-tests.sh' } }] },
      { text: 'Tests pass.' },
    ],
  });
  const started = await harness.manager.start({ task: 'Fix the parser', workspace });
  const done = await harness.waitForState(started.id, 'done');
  assert.equal(harness.server.messageRequests.length, 3);

  // SessionStart's context came with the task.
  assert.match(
    userTexts(harness, 0)[0] ?? '',
    /Project rule: run \.\/run-tests\.sh before you finish \(session startup\)/,
  );
  // The hook's reason is the agent's next user message.
  assert.ok(
    userTexts(harness, 1).includes('Stop hook feedback:\nRun ./run-tests.sh before you finish.'),
  );
  // Marked done once, at the very end: never before the hook let it stop.
  assert.deepEqual(
    harness.stateEvents(started.id).filter((s) => s === 'done'),
    ['done'],
  );
  assert.equal(done.state, 'done');

  const stops = readFileSync(join(started.workDir, '.claude/logs/stop.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
  assert.deepEqual(stops, [
    { stop_hook_active: false, last: 'Fixed the parser.' },
    { stop_hook_active: true, last: 'Tests pass.' },
  ]);
  const note = harness
    .eventsOf('agent.hook', started.id)
    .find((report) => report.event === 'Stop' && report.outcome === 'note');
  assert.match(note?.hook ?? '', /require-test-run/);
  assert.match(
    note?.message ?? '',
    /Asked the agent to go on \(1 of at most 10\): Run \.\/run-tests\.sh/,
  );
});

test('a Stop hook that never lets go is cut off after the documented limit', async () => {
  const replies = Array.from({ length: MAX_STOP_HOOK_CONTINUATIONS + 1 }, (_, i) => ({
    text: `Attempt ${i + 1}: done.`,
  }));
  const { harness, workspace } = await start({ script: replies });
  const started = await harness.manager.start({ task: 'Fix the parser', workspace });
  await harness.waitForState(started.id, 'done');
  assert.equal(harness.server.messageRequests.length, MAX_STOP_HOOK_CONTINUATIONS + 1);
  const last = harness
    .eventsOf('agent.hook', started.id)
    .filter((report) => report.event === 'Stop')
    .at(-1);
  assert.match(last?.message ?? '', /asked the agent to go on 10 times in a row; it stops here/);
  assert.ok(existsSync(join(started.workDir, '.claude/logs/stop.log')));
});

test("a PreToolUse hook's allow runs a call Troika would ask about, without asking, and says which hook", async () => {
  const { harness, workspace } = await start({
    script: [
      { toolUses: [{ name: 'bash', input: { command: 'git push origin feature/csv' } }] },
      { toolUses: [{ name: 'bash', input: { command: './run-tests.sh' } }] },
      { text: 'Pushed and tested.' },
    ],
  });
  const started = await harness.manager.start({ task: 'Push the branch', workspace });
  await harness.waitForState(started.id, 'done');
  assert.ok(!harness.stateEvents(started.id).includes('waiting_approval'));
  assert.equal(harness.eventsOf('agent.approval', started.id).length, 0);
  const note = harness
    .eventsOf('agent.hook', started.id)
    .find((report) => report.event === 'PreToolUse' && report.outcome === 'note');
  assert.match(note?.hook ?? '', /allow-feature-push\.sh/);
  assert.match(
    note?.message ?? '',
    /without asking \(feature branch feature\/csv\); Troika would have asked/,
  );
});
