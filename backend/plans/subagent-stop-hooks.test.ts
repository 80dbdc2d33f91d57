/**
 * An agent a plan starts is the plan's subagent: when it finishes, the
 * repository's SubagentStop hooks run instead of its Stop hooks, as Claude
 * Code runs them for a subagent, and a block makes it go on with the
 * reason. An agent started from the console runs Stop only. The fixture
 * (backend/testing/claude-code-fixtures/subagent-project/) has both hooks;
 * they log the JSON they were given. Real SDK against the local Messages
 * server, real git, PTY, database and transcript files; the plan's build
 * port (AgentBuilds) starts the agent as a plan run does.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Harness } from '../agent/testing/harness.ts';
import { EventBus } from '../bus/events.ts';
import { TranscriptFiles } from '../hooks/transcript-file.ts';
import type { EventMap } from '../protocol/index.ts';
import { DEFAULT_MODEL } from '../provider/models.ts';
import { AgentBuilds } from './agent-build.ts';
import { task } from './testing/fixtures.ts';

const FIXTURE = fileURLToPath(
  new URL('../testing/claude-code-fixtures/subagent-project/', import.meta.url),
);
const REASON = 'Check your work against the task before you finish.';

let h: Harness | undefined;
let dirs: string[] = [];
afterEach(async () => {
  await h?.dispose();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  h = undefined;
  dirs = [];
});

function tempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  dirs.push(dir);
  return dir;
}

function fixtureRepo(): string {
  const dir = tempDir('troika-subagent-');
  cpSync(FIXTURE, dir, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
  return dir;
}

/** The harness with the repository's hooks, each agent's transcript file kept as the app keeps it, and an event bus. */
async function start(script: Array<{ text: string }>) {
  const workspace = fixtureRepo();
  const mirror: { files?: TranscriptFiles } = {};
  const events = new EventBus();
  const harness = await Harness.start({
    server: { script },
    hooks: {
      hooksFile: join(workspace, '.claude/settings.json'),
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
      transcriptPath: (agentId) => mirror.files?.path(agentId) ?? '',
    },
    onPublish: (event, data) => events.publish(event, data as EventMap[typeof event]),
  });
  h = harness;
  const files = new TranscriptFiles({
    dir: tempDir('troika-subagent-transcripts-'),
    rows: (agentId) => harness.store.transcript.list(agentId),
    meta: (agentId) => {
      const record = harness.store.agents.get(agentId);
      return record && { cwd: record.workDir, gitBranch: record.branch, model: record.model };
    },
  });
  mirror.files = files;
  harness.store.transcript.observe((agentId, row) => files.put(agentId, row));
  return { harness, workspace, events, files };
}

function logged(workDir: string, name: string): Array<Record<string, unknown>> {
  const file = join(workDir, '.claude/logs', name);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function userTexts(harness: Harness, request: number): string[] {
  return harness
    .body(request)
    .messages.filter((m) => m.role === 'user')
    .flatMap((m) => m.content.flatMap((b) => (b['type'] === 'text' ? [String(b['text'])] : [])));
}

test("a plan's agent runs SubagentStop, not Stop, and a block makes it go on with the reason", async () => {
  const { harness, workspace, events, files } = await start([
    { text: 'Added the parser.' },
    { text: 'Checked: the parser does what the task asks.' },
  ]);
  const builds = new AgentBuilds({ agents: harness.manager, events, workspace });
  const result = await builds.build(
    {
      planId: 'plan-1',
      task: task('parser'),
      attempt: 1,
      level: 'retry',
      model: DEFAULT_MODEL,
      base: 'main',
      feedback: null,
      budgetUsd: null,
    },
    new AbortController().signal,
  );
  assert.equal(result.ok, true, result.summary);
  const agentId = builds.agentFor('parser');
  assert.ok(agentId);
  const { workDir } = harness.manager.get(agentId);

  // The hook's reason was the agent's next message; it finished once the hook let it.
  assert.equal(harness.server.messageRequests.length, 2);
  assert.ok(userTexts(harness, 1).includes(`Stop hook feedback:\n${REASON}`));
  assert.deepEqual(
    harness.stateEvents(agentId).filter((s) => s === 'done'),
    ['done'],
  );

  const transcript = files.path(agentId);
  assert.ok(transcript.endsWith('.jsonl'), transcript);
  const common = {
    session_id: agentId,
    transcript_path: transcript,
    cwd: workDir,
    permission_mode: 'default',
    hook_event_name: 'SubagentStop',
    agent_id: agentId,
    agent_transcript_path: transcript,
  };
  assert.deepEqual(logged(workDir, 'subagent-stop.log'), [
    { ...common, stop_hook_active: false, last_assistant_message: 'Added the parser.' },
    {
      ...common,
      stop_hook_active: true,
      last_assistant_message: 'Checked: the parser does what the task asks.',
    },
  ]);
  assert.deepEqual(logged(workDir, 'stop.log'), [], 'the Stop hook did not run');

  const note = harness
    .eventsOf('agent.hook', agentId)
    .find((report) => report.event === 'SubagentStop' && report.outcome === 'note');
  assert.match(note?.hook ?? '', /check-subagent-work\.sh/);
  assert.match(note?.message ?? '', /Asked the agent to go on \(1 of at most 10\)/);
});

test('an agent started from the console runs Stop only', async () => {
  const { harness, workspace } = await start([{ text: 'Added the parser.' }]);
  const started = await harness.manager.start({ task: 'Add the parser', workspace });
  await harness.waitForState(started.id, 'done');
  assert.equal(harness.server.messageRequests.length, 1);
  const stops = logged(started.workDir, 'stop.log');
  assert.equal(stops.length, 1);
  assert.equal(stops[0]?.['hook_event_name'], 'Stop');
  assert.equal(stops[0]?.['session_id'], started.id);
  assert.equal('agent_id' in (stops[0] ?? {}), false);
  assert.deepEqual(logged(started.workDir, 'subagent-stop.log'), [], 'SubagentStop did not run');
});
