/**
 * A plan run for real through the composed backend, as the UI calls it:
 * scripted agents (the Messages test server) in real worktrees, the
 * repository's real gate (`npm test`), real merges into the integration
 * branch; one gate fails first and passes on the agent's second attempt.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createBackend, type Backend } from '../app.ts';
import { databasePath, openTroikaDatabase } from '../persistence/database.ts';
import type { PlanDetail } from '../protocol/index.ts';
import { PlanDetailSchema } from '../protocol/payloads/plans.ts';
import { gatedRepo } from './testing/fixtures.ts';
import { startMessagesServer, type MessagesServer } from '../testing/messages-server/index.ts';
import type { RecordedRequest, Turn } from '../testing/messages-server/types.ts';
import { PlanStore } from './plan-store.ts';
import { planDetail } from './plan-views.ts';

const g = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

/** The gate: fails while any file under parts/ says BUG. */
const CHECK = `import { readdirSync, readFileSync } from 'node:fs';
const bad = readdirSync('parts').filter((f) => readFileSync('parts/' + f, 'utf8').includes('BUG'));
if (bad.length) { console.error('BUG found in ' + bad.join(', ')); process.exit(1); }
console.log('parts ok');
`;

const PLAN = JSON.stringify({
  tasks: [
    { id: 1, title: 'Part Alpha', description: 'Write parts/a.txt', dependencies: [] },
    { id: 2, title: 'Part Beta', description: 'Write parts/b.txt', dependencies: [] },
    {
      id: 3,
      title: 'Part Gamma',
      description: 'Write parts/c.txt once a and b exist',
      dependencies: [1, 2],
    },
  ],
});

const RESUMABLE = JSON.stringify({
  tasks: [
    { id: 1, title: 'Part Delta', description: 'Write parts/d.txt', dependencies: [] },
    { id: 2, title: 'Part Epsilon', description: 'Write parts/e.txt', dependencies: [1] },
  ],
});

function textOf(request: RecordedRequest): string[] {
  return (request.params?.messages ?? []).map((m) =>
    typeof m.content === 'string'
      ? m.content
      : m.content.map((b) => (typeof b['text'] === 'string' ? b['text'] : '')).join('\n'),
  );
}

const bash = (command: string): Turn => ({ toolUses: [{ name: 'bash', input: { command } }] });
const finish: Turn = {
  toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary: 'Done.' } }],
};

/** Each agent's next move, from its own conversation: which task, and how far it got. */
function scriptedAgent(request: RecordedRequest): Turn | undefined {
  const texts = textOf(request);
  const first = texts[0] ?? '';
  const steps = (request.params?.messages ?? []).filter((m) => m.role === 'assistant').length;
  const retried = texts.some((t) => t.includes('did not pass'));
  // Tasks are M by default, so each is reviewed once before it merges (plan-talk.test.ts has more).
  if (first.startsWith('Review round'))
    return {
      toolUses: [{ name: 'submit_review', input: { verdict: 'approve', summary: 'Fine.' } }],
    };
  if (first.includes('Part Alpha')) return [bash('echo a > parts/a.txt'), finish][steps];
  if (first.includes('Part Gamma'))
    return [bash('test -f parts/a.txt && test -f parts/b.txt && echo c > parts/c.txt'), finish][
      steps
    ];
  if (first.includes('Part Delta')) return [bash('echo d > parts/d.txt'), finish][steps];
  if (first.includes('Part Epsilon'))
    return [bash('sleep 2 && test -f parts/d.txt && echo e > parts/e.txt'), finish][steps];
  if (first.includes('Part Beta')) {
    if (!retried) return [bash('echo BUG > parts/b.txt'), finish][steps];
    return [bash('echo b > parts/b.txt'), finish][steps - 2];
  }
  return undefined;
}

describe('plans.start over the backend', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-plan-run-')));
  const repo = join(dir, 'repo');
  let messages: MessagesServer;
  let backend: Backend;
  let restarted: Backend | undefined;
  let mainTip = '';

  const call = <T>(method: string, params: unknown, on: Backend = backend) =>
    on.router.dispatch(method, params, { connectionId: 'test' }) as Promise<T>;

  async function until(
    id: string,
    done: (detail: PlanDetail) => boolean,
    on: Backend = backend,
  ): Promise<PlanDetail> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const detail = PlanDetailSchema.parse(await call('plans.get', { id }, on));
      if (done(detail)) return detail;
      if (Date.now() > deadline) throw new Error(`plan stuck: ${JSON.stringify(detail.status)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  before(async () => {
    gatedRepo(repo, CHECK);
    mainTip = g(repo, 'rev-parse', 'main');
    messages = await startMessagesServer({ script: scriptedAgent });
    backend = await createBackend({
      config: { dataDir: join(dir, 'data'), apiKey: messages.apiKey, baseURL: messages.url },
      host: 'web',
    });
  });

  after(async () => {
    await restarted?.dispose();
    await backend?.dispose();
    await messages?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('three tasks in two waves land on the integration branch; a failed gate goes back to its agent', async () => {
    const created = await call<PlanDetail>('plans.create', {
      text: PLAN,
      name: 'Parts',
      workspace: repo,
    });
    const changed: string[] = [];
    backend.events.subscribe((event, data) => {
      if (event === 'plans.changed') changed.push((data as { planId: string }).planId);
    });
    const started = PlanDetailSchema.parse(await call('plans.start', { id: created.plan.id }));
    assert.equal(started.plan.state, 'running');

    const deadline = Date.now() + 90_000;
    let detail = started;
    while (detail.plan.state === 'running') {
      if (Date.now() > deadline) throw new Error(`plan stuck: ${JSON.stringify(detail.status)}`);
      await new Promise((r) => setTimeout(r, 100));
      detail = PlanDetailSchema.parse(await call('plans.get', { id: created.plan.id }));
    }
    assert.equal(detail.plan.state, 'done', JSON.stringify(evidenceOf(created.plan.id)));
    assert.deepEqual(
      detail.status.map((s) => [s.taskId, s.state, s.attempts]),
      [
        ['1', 'merged', 1],
        ['2', 'merged', 2],
        ['3', 'merged', 1],
      ],
      // On a failure, what each attempt, gate and merge recorded says why.
      JSON.stringify(evidenceOf(created.plan.id)),
    );
    // Each task shows the agent that built it; Beta's second attempt went to the same agent.
    const agentIds = detail.status.map((s) => s.agentId);
    assert.ok(agentIds.every((id) => typeof id === 'string'));
    assert.equal(new Set(agentIds).size, 3);
    assert.ok(changed.includes(created.plan.id));

    const branch = detail.plan.integrationBranch;
    assert.equal(branch, 'troika/plan-parts');
    assert.equal(g(repo, 'show', `${branch}:parts/a.txt`), 'a');
    assert.equal(g(repo, 'show', `${branch}:parts/b.txt`), 'b');
    // Gamma started from the integration branch's tip: it saw a and b.
    assert.equal(g(repo, 'show', `${branch}:parts/c.txt`), 'c');
    // The user's branch is untouched.
    assert.equal(g(repo, 'rev-parse', 'main'), mainTip);
    assert.equal(g(repo, 'ls-tree', '--name-only', 'main', 'parts/'), 'parts/.keep');

    // Beta's feedback carried the failing gate's output to the same agent.
    const betaRequests = messages.messageRequests.filter((r) =>
      textOf(r)[0]?.includes('Part Beta'),
    );
    const steered = betaRequests.find((r) =>
      textOf(r).some((t) => t.includes('BUG found in b.txt')),
    );
    assert.ok(steered, 'the gate output reached the agent');
  });

  test('a plan cut off by a shutdown resumes when the backend starts again, its merged task not run again', async () => {
    const created = await call<PlanDetail>('plans.create', {
      text: RESUMABLE,
      name: 'Resume',
      workspace: repo,
    });
    await call('plans.start', { id: created.plan.id });
    await until(
      created.plan.id,
      (d) => d.status[0]?.state === 'merged' && d.status[1]?.state === 'running',
    );
    await backend.dispose();
    const cut = PlanDetailSchema.parse(planAfterShutdown(created.plan.id));
    assert.equal(cut.plan.state, 'running');
    assert.deepEqual(
      cut.status.map((s) => s.state),
      ['merged', 'waiting'],
    );

    restarted = await createBackend({
      config: { dataDir: join(dir, 'data'), apiKey: messages.apiKey, baseURL: messages.url },
      host: 'web',
    });
    const detail = await until(created.plan.id, (d) => d.plan.state !== 'running', restarted);
    assert.equal(detail.plan.state, 'done', JSON.stringify(detail.status));
    assert.deepEqual(
      detail.status.map((s) => [s.state, s.attempts]),
      [
        ['merged', 1],
        ['merged', 2],
      ],
    );
    const deltaAgents = new Set(
      messages.messageRequests
        .filter((r) => textOf(r)[0]?.startsWith('Part Delta'))
        .map((r) => textOf(r)[0]),
    );
    assert.equal(deltaAgents.size, 1);
    assert.equal(g(repo, 'show', `${detail.plan.integrationBranch}:parts/d.txt`), 'd');
    assert.equal(g(repo, 'show', `${detail.plan.integrationBranch}:parts/e.txt`), 'e');
  });

  /** What the plan recorded (attempts, gate output), shown when a run does not end as expected. */
  function evidenceOf(id: string): unknown {
    const db = openTroikaDatabase(databasePath(join(dir, 'data')));
    try {
      return new PlanStore(db).evidence(id).map((e) => [e.taskId, e.kind, e.data]);
    } finally {
      db.close();
    }
  }

  /** The plan as a fresh backend over the same data would read it, before any resume. */
  function planAfterShutdown(id: string): PlanDetail {
    const db = openTroikaDatabase(databasePath(join(dir, 'data')));
    try {
      const store = new PlanStore(db);
      const plan = store.get(id);
      assert.ok(plan);
      return planDetail(store, plan);
    } finally {
      db.close();
    }
  }
});
