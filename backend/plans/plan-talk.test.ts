/**
 * Reviews and questions in a plan run for real through the composed
 * backend, as the UI calls it: scripted builders, reviewer and planner (the
 * Messages test server) in real worktrees of a real git repository with a
 * real gate. A reviewer requests changes and the builder's second version
 * is approved; a question is answered by the planner without the user; a
 * question past the hop limit reaches the user, who answers it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createBackend, type Backend } from '../app.ts';
import type { PlanDetail } from '../protocol/index.ts';
import { PlanDetailSchema } from '../protocol/payloads/plans.ts';
import { gatedRepo } from './testing/fixtures.ts';
import { startMessagesServer, type MessagesServer } from '../testing/messages-server/index.ts';
import type { RecordedRequest, Turn } from '../testing/messages-server/types.ts';

const g = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

/** The gate: fails while any file under parts/ says BUG. */
const CHECK = `import { readdirSync, readFileSync } from 'node:fs';
const bad = readdirSync('parts').filter((f) => readFileSync('parts/' + f, 'utf8').includes('BUG'));
if (bad.length) { console.error('BUG found in ' + bad.join(', ')); process.exit(1); }
`;

function textOf(request: RecordedRequest): string[] {
  return (request.params?.messages ?? []).map((m) =>
    typeof m.content === 'string'
      ? m.content
      : m.content
          .map((b) =>
            typeof b['text'] === 'string'
              ? b['text']
              : typeof b['content'] === 'string'
                ? b['content']
                : '',
          )
          .join('\n'),
  );
}

const use = (name: string, input: Record<string, unknown>): Turn => ({
  toolUses: [{ name, input }],
});
const bash = (command: string) => use('bash', { command });
const done = use('finish', { status: 'COMPLETE', summary: 'Done.' });
const ask = (question: string) =>
  use('finish', { status: 'NEEDS_CLARIFICATION', summary: 'A question first.', question });

const FINDING = {
  file: 'parts/a.txt',
  startLine: 1,
  endLine: 1,
  severity: 'major',
  claim: 'The file holds a draft, not the letter the task asks for',
  evidence: 'parts/a.txt reads "a-draft"; the criterion says it holds exactly "a"',
  suggestedFix: 'Write "a" to parts/a.txt',
};

/** Each conversation's next move, from what it holds: which role, which task, how far it got. */
function script(request: RecordedRequest): Turn | undefined {
  const texts = textOf(request);
  const first = texts[0] ?? '';
  const steps = (request.params?.messages ?? []).filter((m) => m.role === 'assistant').length;
  const all = texts.join('\n');
  if (first.startsWith('Review round 1')) {
    // Reads the file under review through its read-only tool, then requests changes.
    if (steps === 0)
      return use('str_replace_based_edit_tool', { command: 'view', path: 'parts/a.txt' });
    return use('submit_review', {
      verdict: 'request_changes',
      summary: 'The file is a draft.',
      findings: [FINDING],
      risks: ['None once fixed'],
    });
  }
  if (first.startsWith('Review round 2'))
    return use('submit_review', { verdict: 'approve', summary: 'Meets the criterion.', risks: [] });
  if (first.startsWith('The plan ')) {
    const question = texts[0]?.split("The builder's question:\n\n")[1] ?? '';
    return use('answer_question', {
      answer: `Planner says: ${question.includes('letter') ? 'b' : 'yes'}`,
    });
  }
  if (first.includes('Part Alpha')) {
    if (!all.includes('Before this merges, fix the following'))
      return [bash('echo a-draft > parts/a.txt'), done][steps];
    return [bash('echo a > parts/a.txt'), done][steps - 2];
  }
  if (first.includes('Part Beta'))
    return [ask('Which letter goes in parts/b.txt?'), bash('echo b > parts/b.txt'), done][steps];
  if (first.includes('Part Gamma'))
    return [
      ask('Question one?'),
      ask('Question two?'),
      ask('Question three, for a person?'),
      bash('echo g > parts/g.txt'),
      done,
    ][steps];
  return undefined;
}

describe('reviews and questions in a plan run', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-plan-talk-')));
  const repo = join(dir, 'repo');
  let messages: MessagesServer;
  let backend: Backend;

  const call = <T>(method: string, params: unknown) =>
    backend.router.dispatch(method, params, { connectionId: 'test' }) as Promise<T>;

  async function until(id: string, ok: (d: PlanDetail) => boolean): Promise<PlanDetail> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const detail = PlanDetailSchema.parse(await call('plans.get', { id }));
      if (ok(detail)) return detail;
      if (Date.now() > deadline)
        throw new Error(`plan stuck: ${JSON.stringify([detail.status, detail.talk])}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function run(name: string, tasks: unknown[]): Promise<PlanDetail> {
    const created = await call<PlanDetail>('plans.create', {
      text: JSON.stringify(tasks),
      name,
      workspace: repo,
    });
    await call('plans.start', { id: created.plan.id });
    return created;
  }

  before(async () => {
    gatedRepo(repo, CHECK);
    messages = await startMessagesServer({ script });
    backend = await createBackend({
      config: { dataDir: join(dir, 'data'), apiKey: messages.apiKey, baseURL: messages.url },
      host: 'web',
    });
  });

  after(async () => {
    await backend?.dispose();
    await messages?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a reviewer requests changes with findings; the builder’s second version is approved and merged', async () => {
    const created = await run('Reviewed', [
      {
        id: 'a',
        title: 'Part Alpha',
        description: 'Write parts/a.txt',
        metadata: { troika: { acceptanceCriteria: ['parts/a.txt holds exactly "a"'], size: 'M' } },
      },
    ]);
    const detail = await until(created.plan.id, (d) => d.plan.state !== 'running');
    assert.equal(detail.plan.state, 'done', JSON.stringify([detail.status, detail.talk]));
    assert.deepEqual(
      detail.status.map((s) => [s.state, s.attempts]),
      [['merged', 2]],
    );
    const reviews = detail.talk?.reviews ?? [];
    assert.deepEqual(
      reviews.map((r) => [r.taskId, r.round, r.pass, r.verdict]),
      [
        ['a', 1, 1, 'request_changes'],
        ['a', 2, 1, 'approve'],
      ],
    );
    assert.deepEqual(reviews[0]?.findings, [FINDING]);
    assert.deepEqual(reviews[0]?.risks, ['None once fixed']);
    assert.equal(g(repo, 'show', `${detail.plan.integrationBranch}:parts/a.txt`), 'a');

    // The reviewer read the draft through its read-only tools, and had no others.
    const reviewer = messages.messageRequests.filter((r) =>
      textOf(r)[0]?.startsWith('Review round 1'),
    );
    assert.deepEqual(
      reviewer[0]?.params?.tools?.map((t) => t.name),
      ['str_replace_based_edit_tool', 'list_files', 'search_files', 'submit_review'],
    );
    assert.ok(reviewer.some((r) => textOf(r).some((t) => t.includes('1\ta-draft'))));
    assert.ok(
      reviewer[0]?.params?.messages[0] &&
        textOf(reviewer[0])[0]?.includes('parts/a.txt holds exactly "a"'),
      'the acceptance criteria reached the reviewer',
    );
    // The findings went back to the same builder as its next attempt's message.
    const builder = messages.messageRequests.filter((r) => textOf(r)[0]?.includes('Part Alpha'));
    assert.ok(builder.some((r) => textOf(r).some((t) => t.includes(FINDING.claim))));
  });

  test('a builder’s question is answered by the planner without reaching the user', async () => {
    const created = await run('Asked', [
      {
        id: 'b',
        title: 'Part Beta',
        description: 'Write parts/b.txt',
        metadata: { troika: { size: 'S' } },
      },
    ]);
    const detail = await until(created.plan.id, (d) => d.plan.state !== 'running');
    assert.equal(detail.plan.state, 'done', JSON.stringify([detail.status, detail.talk]));
    assert.deepEqual(
      detail.talk?.questions.map((h) => [h.question, h.from, h.to, h.text]),
      [
        [1, 'builder', 'planner', 'Which letter goes in parts/b.txt?'],
        [1, 'planner', 'builder', 'Planner says: b'],
      ],
    );
    // A small task gets no review by default.
    assert.deepEqual(detail.talk?.reviews, []);
    assert.equal(g(repo, 'show', `${detail.plan.integrationBranch}:parts/b.txt`), 'b');
    const builder = messages.messageRequests.filter((r) => textOf(r)[0]?.includes('Part Beta'));
    assert.ok(builder.some((r) => textOf(r).some((t) => t.includes('Planner says: b'))));
  });

  test('a question past the hop limit reaches the user; the task needs them until they answer', async () => {
    const created = await run('Limited', [
      {
        id: 'g',
        title: 'Part Gamma',
        description: 'Write parts/g.txt',
        metadata: { troika: { size: 'XS' } },
      },
    ]);
    const waiting = await until(created.plan.id, (d) => d.status[0]?.state === 'needs_user');
    assert.equal(waiting.status[0]?.reason, 'Needs you: Question three, for a person?');
    assert.deepEqual(
      waiting.talk?.questions.map((h) => [h.question, h.from, h.to, h.reason]),
      [
        [1, 'builder', 'planner', null],
        [1, 'planner', 'builder', null],
        [2, 'builder', 'planner', null],
        [2, 'planner', 'builder', null],
        [3, 'builder', 'user', 'Past the hop limit (2)'],
      ],
    );
    const agentId = waiting.status[0]?.agentId;
    assert.ok(agentId);
    await call('agent.answer', { id: agentId, text: 'Write g' });
    const detail = await until(created.plan.id, (d) => d.plan.state !== 'running');
    assert.equal(detail.plan.state, 'done', JSON.stringify([detail.status, detail.talk]));
    assert.deepEqual(detail.talk?.questions.at(-1)?.from, 'user');
    assert.equal(g(repo, 'show', `${detail.plan.integrationBranch}:parts/g.txt`), 'g');
    // The planner never saw the third question.
    const planner = messages.messageRequests.filter((r) => textOf(r)[0]?.startsWith('The plan '));
    assert.ok(!planner.some((r) => textOf(r)[0]?.includes('Question three')));
  });
});
