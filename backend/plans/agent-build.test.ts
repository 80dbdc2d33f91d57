/**
 * The plan's build port (AgentBuilds) over the real agent runtime: a retry
 * at the same model goes back to the same agent; an escalation to the
 * plan's stronger model is made by an agent at that model, which takes the
 * earlier agent's branch over and is told why its attempt did not pass;
 * after a restart (a new process that never knew the task's agent) a retry
 * continues the task's branch, told the last attempt's failure.
 * Real SDK against the local Messages server, real git and worktrees.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { Harness } from '../agent/testing/harness.ts';
import { EventBus } from '../bus/events.ts';
import type { EventMap } from '../protocol/index.ts';
import { DEFAULT_MODEL } from '../provider/models.ts';
import { AgentBuilds } from './agent-build.ts';
import type { BuildRequest } from './ports.ts';
import { gatedRepo, task } from './testing/fixtures.ts';

const STRONGER = 'claude-opus-4-5';

let h: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
  h = undefined;
  dir = undefined;
});

function request(fields: Partial<BuildRequest>): BuildRequest {
  return {
    planId: 'plan-1',
    task: task('parser'),
    attempt: 1,
    level: 'retry',
    model: DEFAULT_MODEL,
    base: 'main',
    feedback: null,
    budgetUsd: null,
    ...fields,
  };
}

test('an escalation to the stronger model is built by an agent at that model, from the earlier branch', async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-agent-build-')));
  gatedRepo(dir, 'process.exit(0)');
  const events = new EventBus();
  h = await Harness.start({
    server: { script: [{ text: 'Wrote it.' }, { text: 'Tried again.' }, { text: 'Fixed.' }] },
    onPublish: (event, data) => events.publish(event, data as EventMap[typeof event]),
  });
  const builds = new AgentBuilds({ agents: h.manager, events, workspace: dir });
  const signal = new AbortController().signal;

  const first = await builds.build(request({}), signal);
  const firstAgent = builds.agentFor('parser');
  assert.ok(firstAgent);
  // Its work, left uncommitted in its worktree.
  writeFileSync(join(h.manager.get(firstAgent).workDir, 'parser.txt'), 'draft\n');

  const retry = await builds.build(request({ attempt: 2, feedback: 'BUG in parser.txt' }), signal);
  assert.equal(builds.agentFor('parser'), firstAgent, 'a retry at the same model: the same agent');
  assert.equal(retry.branch, first.branch);

  const stronger = await builds.build(
    request({
      attempt: 3,
      level: 'stronger',
      model: STRONGER,
      feedback: 'BUG still in parser.txt',
    }),
    signal,
  );
  const strongerAgent = builds.agentFor('parser');
  assert.notEqual(strongerAgent, firstAgent, 'a new agent at the stronger model');
  assert.equal(stronger.ok, true, stronger.summary);
  assert.notEqual(stronger.branch, first.branch);

  const models = h.server.messageRequests.map((r) => (r.body as { model: string }).model);
  assert.deepEqual(models, [DEFAULT_MODEL, DEFAULT_MODEL, STRONGER]);
  const told = JSON.stringify(h.body(2).messages[0]);
  assert.match(told, /did not pass/);
  assert.match(told, /BUG still in parser\.txt/);
  // The earlier agent's work is on the stronger agent's branch.
  const show = execFileSync('git', ['show', `${stronger.branch}:parser.txt`], { cwd: dir });
  assert.equal(show.toString(), 'draft\n');
});

test('after a restart a retry continues the task’s branch, told why the last attempt failed', async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-agent-build-')));
  gatedRepo(dir, 'process.exit(0)');
  const events = new EventBus();
  h = await Harness.start({
    server: { script: [{ text: 'Wrote it.' }, { text: 'Fixed.' }] },
    onPublish: (event, data) => events.publish(event, data as EventMap[typeof event]),
  });
  const signal = new AbortController().signal;
  const before = new AgentBuilds({ agents: h.manager, events, workspace: dir });
  const first = await before.build(request({}), signal);
  const firstAgent = before.agentFor('parser') as string;
  writeFileSync(join(h.manager.get(firstAgent).workDir, 'parser.txt'), 'BUG\n');
  execFileSync('git', ['add', '.'], { cwd: h.manager.get(firstAgent).workDir });
  execFileSync('git', ['-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-qm', 'work'], {
    cwd: h.manager.get(firstAgent).workDir,
  });

  // A new process: its build port never saw the task's agent.
  const after = new AgentBuilds({ agents: h.manager, events, workspace: dir });
  const retry = await after.build(
    request({ attempt: 2, feedback: 'BUG found in parser.txt', branch: first.branch }),
    signal,
  );
  assert.equal(retry.ok, true, retry.summary);
  assert.notEqual(after.agentFor('parser'), firstAgent);
  const told = JSON.stringify(h.body(1).messages[0]);
  assert.match(told, /did not pass/);
  assert.match(told, /BUG found in parser\.txt/);
  const show = execFileSync('git', ['show', `${retry.branch}:parser.txt`], { cwd: dir });
  assert.equal(show.toString(), 'BUG\n', 'the new agent started from the task’s branch');
});
