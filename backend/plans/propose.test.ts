/**
 * Planning through the composed backend, as the UI calls it: `plans.propose`
 * starts the planner agent on the scripted Messages server; it reads a file,
 * submits a plan with a cycle and is told the cycle by name, submits a valid
 * one, which becomes a draft; the user edits a task and approves it, and the
 * draft is a plan ready to start.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createBackend, type Backend } from '../app.ts';
import type { PlanDetail } from '../protocol/index.ts';
import { PlanDraftSchema, type PlanDraft } from '../protocol/payloads/plan-drafts.ts';
import { PlanDetailSchema } from '../protocol/payloads/plans.ts';
import { startMessagesServer, type MessagesServer } from '../testing/messages-server/index.ts';
import type { RecordedRequest, Turn } from '../testing/messages-server/types.ts';

const g = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

const task = (id: string, dependencies: string[], files: string[]) => ({
  id,
  title: `Task ${id}`,
  description: `Do ${id}`,
  acceptanceCriteria: [`${id} works`],
  testStrategy: 'npm test',
  dependencies,
  size: 'S',
  files,
});

const submit = (tasks: object[]): Turn => ({
  toolUses: [{ name: 'submit_plan', input: { name: 'Greeting', tasks } }],
});

/** The tool results the planner was sent, in order. */
function toolResults(requests: readonly RecordedRequest[]): string[] {
  const last = requests.at(-1)?.params?.messages ?? [];
  return last.flatMap((m) =>
    typeof m.content === 'string'
      ? []
      : m.content
          .filter((b) => b['type'] === 'tool_result')
          .map((b) =>
            typeof b['content'] === 'string'
              ? b['content']
              : (b['content'] as Array<{ text?: string }>).map((c) => c.text ?? '').join(''),
          ),
  );
}

describe('plans.propose over the backend', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-plan-propose-')));
  const repo = join(dir, 'repo');
  let messages: MessagesServer;
  let backend: Backend;
  let restarted: Backend | undefined;
  let plannerId = '';

  const call = <T>(method: string, params: unknown, on?: Backend) =>
    (on ?? backend).router.dispatch(method, params, { connectionId: 'test' }) as Promise<T>;

  async function until(id: string, done: (d: PlanDraft) => boolean): Promise<PlanDraft> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const draft = PlanDraftSchema.parse(await call('plans.draft', { id }));
      if (done(draft)) return draft;
      if (Date.now() > deadline) throw new Error(`draft stuck: ${JSON.stringify(draft)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const agentState = async (id: string, on?: Backend) =>
    ((await call('agent.get', { id }, on)) as { state: string }).state;

  before(async () => {
    execFileSync('mkdir', ['-p', repo]);
    g(repo, 'init', '-q', '-b', 'main');
    g(repo, 'config', 'user.email', 't@example.com');
    g(repo, 'config', 'user.name', 'T');
    writeFileSync(join(repo, 'README.md'), 'Greeter: prints MARKER-42 to greet.\n');
    g(repo, 'add', '.');
    g(repo, 'commit', '-q', '-m', 'init');
    messages = await startMessagesServer({
      script: [
        {
          toolUses: [
            { name: 'str_replace_based_edit_tool', input: { command: 'view', path: 'README.md' } },
          ],
        },
        {
          toolUses: [
            {
              name: 'str_replace_based_edit_tool',
              input: { command: 'create', path: 'x.txt', file_text: 'no' },
            },
          ],
        },
        submit([task('a', ['b'], ['src/a.ts']), task('b', ['a'], ['src/b.ts'])]),
        submit([
          task('a', [], ['src/a.ts']),
          task('b', ['a'], ['src/b.ts']),
          task('c', ['a'], ['src/a.ts']),
        ]),
        { text: 'Planned: three tasks.' },
        // After a restart, the planner steered again.
        submit([task('a', [], ['src/a.ts'])]),
        { text: 'Cannot submit.' },
      ],
    });
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

  test('the planner reads, is told its cycle by name, and its valid plan becomes a draft', async () => {
    const started = PlanDraftSchema.parse(
      await call('plans.propose', { goal: 'Greet in three languages', workspace: repo }),
    );
    assert.equal(started.state, 'proposing');
    assert.ok(started.agentId, 'the planner is an agent with a panel');
    plannerId = started.agentId;

    const ready = await until(started.id, (d) => d.state !== 'proposing');
    assert.equal(ready.state, 'ready', ready.stateReason ?? '');
    assert.equal(ready.name, 'Greeting');
    assert.equal(ready.submissions, 2);
    assert.match(ready.lastError ?? '', /Dependency cycle: a → b → a/);
    assert.deepEqual(
      ready.tasks.map((t) => [t.id, t.dependencies, t.size]),
      [
        ['a', [], 'S'],
        ['b', ['a'], 'S'],
        ['c', ['a'], 'S'],
      ],
    );
    assert.deepEqual(ready.problems, []);
    // b and c both wait for a; c shares a's file, which does not matter as a runs first.
    assert.deepEqual(ready.dryRun?.waves, [['a'], ['b', 'c']]);

    // The planner ends its turn once its plan is accepted.
    for (let agent = await agentState(started.agentId); agent !== 'done';) {
      assert.ok(!['failed', 'stopped'].includes(agent), agent);
      await new Promise((r) => setTimeout(r, 50));
      agent = await agentState(started.agentId);
    }
    const requests = messages.messageRequests;
    assert.equal(requests.length, 5);
    const first = requests[0]?.params;
    assert.equal(first?.model, 'claude-opus-5-5', 'the architect alias');
    assert.deepEqual(
      (first?.tools ?? []).map((t) => t.name),
      ['str_replace_based_edit_tool', 'list_files', 'search_files', 'submit_plan', 'finish'],
    );
    assert.match(JSON.stringify(first?.system), /software architect/);
    const results = toolResults(requests);
    assert.match(results[0] ?? '', /MARKER-42/, 'the planner read the README');
    assert.match(results[1] ?? '', /You read only: "create" is not allowed/);
    assert.match(
      results[2] ?? '',
      /not accepted \(submission 1 of 3\): Dependency cycle: a → b → a/,
    );
    assert.match(results[3] ?? '', /Plan accepted: 3 tasks in 2 waves/);
    assert.deepEqual(
      readdirSync(repo).sort(),
      ['.git', 'README.md'],
      'nothing written, no worktree',
    );
    assert.equal(g(repo, 'branch', '--list').trim(), '* main');
  });

  test('an edited draft names its problems, then approved becomes a plan ready to start', async () => {
    const { drafts } = (await call('plans.drafts', {})) as { drafts: PlanDraft[] };
    const draft = drafts[0];
    assert.ok(draft);
    const withCycle = draft.tasks.map((t) => (t.id === 'a' ? { ...t, dependencies: ['c'] } : t));
    const broken = PlanDraftSchema.parse(
      await call('plans.editDraft', { id: draft.id, tasks: withCycle }),
    );
    assert.equal(broken.state, 'failed');
    assert.deepEqual(
      broken.problems.map((p) => p.message),
      ['Dependency cycle: a → c → a (each task waits for the one before it)'],
    );
    await assert.rejects(call('plans.approve', { id: draft.id }), /Dependency cycle: a → c → a/);
    await assert.rejects(
      call('plans.editDraft', { id: draft.id, tasks: [{ id: 'a b', title: 'x' }] }),
      /letters, digits/,
      'inbound validation of the edited tasks',
    );

    const edited = draft.tasks.map((t) =>
      t.id === 'c' ? { ...t, title: 'Greet in French', files: ['src/fr.ts'], size: 'XS' } : t,
    );
    const fixed = PlanDraftSchema.parse(
      await call('plans.editDraft', { id: draft.id, tasks: edited }),
    );
    assert.equal(fixed.state, 'ready');
    const plan = PlanDetailSchema.parse(await call<PlanDetail>('plans.approve', { id: draft.id }));
    assert.equal(plan.plan.state, 'draft');
    assert.equal(plan.plan.name, 'Greeting');
    assert.equal(plan.plan.goal, 'Greet in three languages');
    assert.equal(plan.plan.integrationBranch, 'troika/plan-greeting');
    const c = plan.tasks.find((t) => t.id === 'c');
    assert.deepEqual([c?.title, c?.files, c?.size], ['Greet in French', ['src/fr.ts'], 'XS']);
    assert.ok(plan.status.every((s) => s.state === 'waiting'));

    const approved = PlanDraftSchema.parse(await call('plans.draft', { id: draft.id }));
    assert.deepEqual([approved.state, approved.planId], ['approved', plan.plan.id]);
    await assert.rejects(call('plans.approve', { id: draft.id }), /already a plan/);
  });

  test('a discarded draft is gone; its plan stays', async () => {
    const { drafts } = (await call('plans.drafts', {})) as { drafts: PlanDraft[] };
    const draft = drafts[0];
    assert.ok(draft?.planId);
    assert.deepEqual(await call('plans.discardDraft', { id: draft.id }), { discarded: true });
    await assert.rejects(call('plans.draft', { id: draft.id }), /No plan draft/);
    assert.deepEqual(((await call('plans.drafts', {})) as { drafts: PlanDraft[] }).drafts, []);
    assert.equal(
      PlanDetailSchema.parse(await call('plans.get', { id: draft.planId })).plan.name,
      'Greeting',
    );
  });

  test('after a restart the planner keeps its read-only tools and cannot submit', async () => {
    const agentId = plannerId;
    await backend.dispose();
    restarted = await createBackend({
      config: { dataDir: join(dir, 'data'), apiKey: messages.apiKey, baseURL: messages.url },
      host: 'web',
    });
    await call('agent.steer', { id: agentId, text: 'Submit a smaller plan' }, restarted);
    while (messages.messageRequests.length < 7 || (await agentState(agentId, restarted)) !== 'done')
      await new Promise((r) => setTimeout(r, 50));
    const request = messages.messageRequests[5]?.params;
    assert.deepEqual(
      (request?.tools ?? []).map((t) => t.name),
      ['str_replace_based_edit_tool', 'list_files', 'search_files', 'submit_plan', 'finish'],
    );
    assert.match(toolResults(messages.messageRequests).at(-1) ?? '', /ended when Troika restarted/);
  });
});
