/**
 * The reviewer is an agent of the console, through the composed backend as
 * the UI calls it (scripted models, real worktrees, a real gate): it is in
 * the agents list while it reviews (reviewer persona and alias, in the
 * task's worktree, no branch of its own, in its task's slot); stopped from
 * its panel, the task needs the user and its work stays on its branch; and
 * what it spends counts against the global budget, so a cap its spending
 * reached stops the next run with the guard's message.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createBackend, type Backend } from '../app.ts';
import type { AgentSummary, PlanDetail } from '../protocol/index.ts';
import { PlanDetailSchema } from '../protocol/payloads/plans.ts';
import { startMessagesServer } from '../testing/messages-server/index.ts';
import type { RecordedRequest, Turn } from '../testing/messages-server/types.ts';
import { nudge } from './role-agent.ts';
import { gatedRepo } from './testing/fixtures.ts';

const g = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

const CHECK = "console.log('ok');\n";

const use = (name: string, input: Record<string, unknown>, extra: object = {}): Turn => ({
  toolUses: [{ name, input }],
  ...extra,
});
const done = use('finish', { status: 'COMPLETE', summary: 'Done.' });

function firstText(request: RecordedRequest): string {
  const first = request.params?.messages[0]?.content;
  if (typeof first === 'string') return first;
  return (first ?? []).map((b) => (typeof b['text'] === 'string' ? b['text'] : '')).join('\n');
}

const steps = (request: RecordedRequest) =>
  (request.params?.messages ?? []).filter((m) => m.role === 'assistant').length;

const FINDING = {
  file: 'parts/o.txt',
  startLine: 1,
  endLine: 1,
  severity: 'major',
  claim: 'Wrong letter',
  evidence: 'parts/o.txt says o-draft',
  suggestedFix: 'Write o',
};

function script(request: RecordedRequest): Turn | undefined {
  const first = firstText(request);
  const n = steps(request);
  // Part Delta's reviewer takes its time: the test looks at it and stops it meanwhile.
  if (first.startsWith('Review round 1') && first.includes('Part Delta'))
    return { text: 'Reading.', delay: { firstByteMs: 60_000 } };
  // Part Omega's reviewer is expensive: 100k output tokens of the `reviewer` alias's opus ($2).
  if (first.startsWith('Review round 1') && first.includes('Part Omega'))
    return use(
      'submit_review',
      { verdict: 'request_changes', summary: 'Not yet.', findings: [FINDING] },
      { outputTokens: 100_000 },
    );
  // Part Kappa's reviewer first ends in plain words; told to, it gives its verdict.
  if (first.startsWith('Review round 1') && first.includes('Part Kappa'))
    return n === 0
      ? { text: 'Looks fine to me.' }
      : use('submit_review', { verdict: 'approve', summary: 'Meets it.' });
  if (first.includes('Part Kappa'))
    return [use('bash', { command: 'echo k > parts/k.txt' }), done][n];
  if (first.includes('Part Delta'))
    return [use('bash', { command: 'echo d > parts/d.txt' }), done][n];
  if (first.includes('Part Omega'))
    return [use('bash', { command: 'echo o-draft > parts/o.txt' }), done, done][n];
  return undefined;
}

async function setUp(name: string, env: Record<string, string> = {}) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `troika-${name}-`)));
  const repo = join(dir, 'repo');
  gatedRepo(repo, CHECK);
  const messages = await startMessagesServer({ script });
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let backend: Backend;
  try {
    backend = await createBackend({
      config: { dataDir: join(dir, 'data'), apiKey: messages.apiKey, baseURL: messages.url },
      host: 'web',
    });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const call = <T>(method: string, params: unknown) =>
    backend.router.dispatch(method, params, { connectionId: 'test' }) as Promise<T>;
  const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const plan = async (id: string) => PlanDetailSchema.parse(await call('plans.get', { id }));
  const run = async (title: string): Promise<string> => {
    const created = await call<PlanDetail>('plans.create', {
      text: JSON.stringify([
        { id: 't', title, description: 'Write a part', metadata: { troika: { size: 'M' } } },
      ]),
      name: title,
      workspace: repo,
    });
    await call('plans.start', { id: created.plan.id });
    return created.plan.id;
  };
  const dispose = async () => {
    await backend.dispose();
    await messages.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { repo, call, until, plan, run, dispose, backend };
}

describe('the reviewer as an agent', () => {
  let t: Awaited<ReturnType<typeof setUp>>;
  before(async () => {
    t = await setUp('review-agent');
  });
  after(() => t?.dispose());

  test('it is in the agents list while it reviews; stopped from its panel, the task needs you and its work is kept', async () => {
    const planId = await t.run('Part Delta');
    const reviewer = await t.until('the reviewer agent', async () =>
      (await t.call<AgentSummary[]>('agent.list', {})).find(
        (a) => a.task.startsWith('Review round 1') && a.state === 'running',
      ),
    );
    const agents = await t.call<AgentSummary[]>('agent.list', {});
    const builder = agents.find((a) => a.task.startsWith('Part Delta'));
    assert.ok(builder, 'the builder is listed too');
    assert.equal(builder.state, 'done');
    assert.equal(reviewer.persona, 'reviewer');
    assert.equal(reviewer.model, 'reviewer');
    // It reads the task's worktree and has none of its own.
    assert.equal(reviewer.workDir, builder.workDir);
    assert.equal(reviewer.branch, null);
    // It holds the slot its task's builder gave up: one of three, not a fourth.
    assert.equal(t.backend.agents.activeCount, 1);
    // The plan view's task links to the reviewer's panel while it reviews.
    const inReview = await t.until('the task to link its reviewer', async () => {
      const d = await t.plan(planId);
      return d.status[0]?.agentId === reviewer.id ? d : undefined;
    });
    assert.match(inReview.status[0]?.reason ?? '', /^In review: round 1, pass 1 of 1$/);

    await t.call('agent.stop', { id: reviewer.id });
    const detail = await t.until('the task to need the user', async () => {
      const d = await t.plan(planId);
      return d.status[0]?.state === 'needs_user' ? d : undefined;
    });
    const branch = builder.branch as string;
    assert.equal(
      detail.status[0]?.reason,
      `The reviewer was stopped before its verdict (it was stopped before it answered (Stopped by the user)); the work is kept on ${branch}: retry the task to have it reviewed again, or skip it`,
    );
    assert.equal(g(t.repo, 'show', `${branch}:parts/d.txt`), 'd');
    assert.deepEqual(
      detail.talk?.reviews.map((r) => [r.round, r.verdict]),
      [[1, null]],
    );
    // The review over, the task links to its builder again.
    assert.equal(detail.status[0]?.agentId, builder.id);
  });
});

describe('a reviewer that ends without its verdict', () => {
  let t: Awaited<ReturnType<typeof setUp>>;
  before(async () => {
    t = await setUp('review-nudge');
  });
  after(() => t?.dispose());

  test('is told once to call submit_review, and its verdict counts', async () => {
    const planId = await t.run('Part Kappa');
    const detail = await t.until('the plan to stop running', async () => {
      const d = await t.plan(planId);
      return d.plan.state === 'running' ? undefined : d;
    });
    assert.equal(detail.plan.state, 'done', JSON.stringify(detail.status));
    assert.deepEqual(
      detail.talk?.reviews.map((r) => [r.verdict, r.summary]),
      [['approve', 'Meets it.']],
    );
    const reviewer = (await t.call<AgentSummary[]>('agent.list', {})).find((a) =>
      a.task.startsWith('Review round 1'),
    );
    const transcript = await t.call<{ transcript: Array<{ content: unknown }> }>('agent.get', {
      id: reviewer?.id,
    });
    assert.ok(
      JSON.stringify(transcript.transcript).includes(nudge('submit_review')),
      'the reviewer was told to answer through its tool',
    );
  });
});

describe('the reviewer’s spending and the global budget', () => {
  let t: Awaited<ReturnType<typeof setUp>>;
  before(async () => {
    t = await setUp('review-budget', { TROIKA_GLOBAL_BUDGET_USD: '1' });
  });
  after(() => t?.dispose());

  test('a global cap reached by the reviewer’s spending stops the next start with the guard’s message', async () => {
    const planId = await t.run('Part Omega');
    const detail = await t.until('the plan to stop running', async () => {
      const d = await t.plan(planId);
      return d.plan.state === 'running' ? undefined : d;
    });
    const review = detail.talk?.reviews[0];
    assert.ok((review?.costUsd ?? 0) >= 1, `the reviewer spent ${review?.costUsd}`);
    const agents = await t.call<AgentSummary[]>('agent.list', {});
    const builder = agents.find((a) => a.task.startsWith('Part Omega'));
    const reviewer = agents.find((a) => a.task.startsWith('Review round 1'));
    assert.ok(builder && reviewer);
    // The builder alone spent far less than the cap: the reviewer's spending reached it.
    assert.ok(builder.usage.costUsd < 0.5, `the builder spent ${builder.usage.costUsd}`);
    assert.equal(reviewer.usage.costUsd, review?.costUsd);
    // The guard stopped the reviewer after its costly turn; the task waits for the user.
    assert.equal(reviewer.state, 'stopped');
    assert.match(reviewer.stateReason ?? '', GUARD);
    assert.equal(detail.status[0]?.state, 'needs_user');
    assert.match(detail.status[0]?.reason ?? '', /^The reviewer was stopped before its verdict/);
    // The next agent started stops before its first model call, in the guard's words.
    const next = await t.call<AgentSummary>('agent.start', {
      task: 'Part Later',
      workspace: t.repo,
    });
    const ended = await t.until('the next agent to end', async () => {
      const a = (await t.call<AgentSummary[]>('agent.list', {})).find((x) => x.id === next.id);
      return a && a.state !== 'running' && a.state !== 'idle' ? a : undefined;
    });
    assert.equal(ended.state, 'stopped');
    assert.match(ended.stateReason ?? '', GUARD);
    assert.equal(ended.usage.costUsd, 0);
  });
});

const GUARD =
  /^Stopped: the global budget of \$1\.00 for all agents is reached \(\$\d+\.\d+ spent this session\)\.$/;
