import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createBackend, type Backend } from '../app.ts';
import type {
  AgentSummary,
  EventMap,
  LandResult,
  MergePreview,
  WorktreeEntry,
} from '../protocol/index.ts';
import { startMessagesServer, type MessagesServer } from '../testing/messages-server/index.ts';

const g = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

/** Landing through the composed backend, as the UI calls it: a real agent (scripted model), real git, real gates. */
describe('landing.* over the backend', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-landing-')));
  const repo = join(dir, 'repo');
  let messages: MessagesServer;
  let backend: Backend;
  let restarted: Backend | undefined;
  const seen: Array<{ event: string; data: unknown }> = [];
  let landedBranch = '';

  const call = <T>(method: string, params: unknown) =>
    backend.router.dispatch(method, params, { connectionId: 'test' }) as Promise<T>;

  async function settled(id: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const detail = await call<AgentSummary>('agent.get', { id });
      if (detail.state === 'done' || detail.state === 'failed') return;
      if (Date.now() > deadline) throw new Error(`agent stuck in ${detail.state}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const commitIn = (text: string) =>
    `test -f .env && printf '${text}\\n' > feature.txt && git add feature.txt && git -c user.email=a@b -c user.name=a commit -qm feature`;

  before(async () => {
    mkdirSync(repo);
    g(repo, 'init', '-q', '-b', 'main');
    g(repo, 'config', 'user.email', 't@example.com');
    g(repo, 'config', 'user.name', 'T');
    mkdirSync(join(repo, '.troika'));
    writeFileSync(
      join(repo, '.troika', 'project.json'),
      JSON.stringify({
        detect: false,
        gates: [
          {
            name: 'has-feature',
            command: 'test -f feature.txt && test -f .env',
            timeoutSeconds: 30,
          },
        ],
        setup: { copy: ['.env'] },
      }),
    );
    writeFileSync(join(repo, '.gitignore'), '.env\n');
    writeFileSync(join(repo, '.env'), 'SECRET_FOR_TESTS=1\n');
    g(repo, 'add', '.');
    g(repo, 'commit', '-q', '-m', 'init');
    messages = await startMessagesServer({
      script: [
        { toolUses: [{ name: 'bash', input: { command: commitIn('first') } }] },
        {
          toolUses: [
            { name: 'finish', input: { status: 'COMPLETE', summary: 'Added feature.txt.' } },
          ],
        },
        { toolUses: [{ name: 'bash', input: { command: commitIn('second') } }] },
        { toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary: 'Again.' } }] },
        { toolUses: [{ name: 'bash', input: { command: commitIn('agent side') } }] },
        { toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary: 'Side.' } }] },
        {
          toolUses: [
            {
              name: 'bash',
              input: {
                command:
                  "printf 'resolved\\n' > feature.txt && git add feature.txt && git -c user.email=a@b -c user.name=a commit -q --no-edit",
              },
            },
          ],
        },
        { toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary: 'Resolved.' } }] },
        {
          toolUses: [
            {
              name: 'bash',
              input: { command: commitIn('fourth').replace('test -f .env && ', '') },
            },
          ],
        },
        { toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary: 'Fourth.' } }] },
      ],
    });
    backend = await createBackend({
      config: { dataDir: join(dir, 'data'), apiKey: messages.apiKey, baseURL: messages.url },
      host: 'web',
    });
    backend.events.subscribe((event, data) => seen.push({ event, data }));
  });

  after(async () => {
    await restarted?.dispose();
    await backend?.dispose();
    await messages?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a clean squash: setup copied .env, the gate ran, the commit carries trailers, the branch is cleaned', async () => {
    const started = await call<AgentSummary>('agent.start', {
      task: 'Add the feature file',
      workspace: repo,
    });
    assert.match(started.branch ?? '', /^troika\/add-the-feature-file-[0-9a-f]{4}$/);
    assert.equal(readFileSync(join(started.workDir, '.env'), 'utf8'), 'SECRET_FOR_TESTS=1\n');
    await settled(started.id);

    const preview = await call<MergePreview>('landing.preview', { id: started.id });
    assert.equal(preview.target, 'main');
    assert.equal(preview.startedFrom, 'main');
    assert.equal(preview.clean, true);
    assert.deepEqual(preview.files, ['feature.txt']);
    assert.equal(preview.commits, 1);
    assert.match(preview.message, /^Add the feature file\n\nAdded feature\.txt\./);
    assert.deepEqual(
      preview.gates.map((gate) => gate.name),
      ['has-feature'],
    );
    assert.equal(preview.gatesFile, '.troika/project.json');

    const result = await call<LandResult>('landing.land', {
      id: started.id,
      message: 'Add the feature file\n\nEdited by the user.',
      expectTip: preview.targetTip,
      runId: 'run-1',
    });
    assert.equal(result.landed, true, result.reason ?? '');
    assert.deepEqual(
      result.gates.map((gate) => [gate.name, gate.status]),
      [['has-feature', 'passed']],
    );
    assert.equal(g(repo, 'rev-parse', 'main'), result.commit);
    assert.equal(readFileSync(join(repo, 'feature.txt'), 'utf8'), 'first\n');
    const body = g(repo, 'log', '-1', '--format=%B', 'main');
    assert.match(body, /^Add the feature file\n\nEdited by the user\.\n/);
    assert.match(body, new RegExp(`^Troika-Run: ${started.id}$`, 'm'));
    assert.match(body, /^Troika-Gates: passed$/m);
    assert.ok(
      seen.some(
        (e) =>
          e.event === 'landing.gate' && (e.data as EventMap['landing.gate']).status === 'passed',
      ),
    );
    assert.ok(
      seen.some(
        (e) =>
          e.event === 'landing.output' &&
          (e.data as EventMap['landing.output']).data.includes('test -f feature.txt'),
      ),
    );
    // Its terminal is still open (the panel shows it): the worktree stays until that is gone.
    assert.equal(result.cleaned, false);
    const listed = await call<WorktreeEntry[]>('landing.worktrees', {});
    const entry = listed.find((e) => e.branch === started.branch);
    assert.equal(entry?.state, 'merged');
    assert.equal(entry?.active, true);
    landedBranch = started.branch ?? '';
    assert.equal(
      g(repo, 'worktree', 'list', '--porcelain').includes('gates-'),
      false,
      'the gate worktree is gone',
    );
  });

  test('the ledger lists unlanded work and removes it only with the file list confirmed', async () => {
    const started = await call<AgentSummary>('agent.start', { task: 'Second go', workspace: repo });
    await settled(started.id);
    const entries = await call<WorktreeEntry[]>('landing.worktrees', {});
    const entry = entries.find((e) => e.branch === started.branch);
    assert.ok(entry, JSON.stringify(entries));
    assert.equal(entry.state, 'unlanded');
    assert.deepEqual(entry.files, ['feature.txt']);
    const unlanded = await backend.unlandedWork();
    assert.equal(unlanded.length, 1);
    assert.match(
      unlanded[0] ?? '',
      /^troika\/second-go-[0-9a-f]{4} \(1 commit not in main\) in \//,
    );
    await assert.rejects(call('landing.clean', { branch: started.branch }), /confirm these files/);
    await assert.rejects(
      call('landing.clean', { branch: started.branch, confirmFiles: ['other'] }),
      /confirm/,
    );
    assert.notEqual(g(repo, 'branch', '--list', started.branch ?? ''), '');
    await call('landing.clean', { branch: started.branch, confirmFiles: ['feature.txt'] });
    assert.equal(g(repo, 'branch', '--list', started.branch ?? ''), '');
  });

  test('a conflict goes back to the agent, which resolves it in its worktree; then it lands', async () => {
    const started = await call<AgentSummary>('agent.start', { task: 'Third go', workspace: repo });
    await settled(started.id);
    writeFileSync(join(repo, 'feature.txt'), 'user side\n');
    g(repo, 'commit', '-q', '-am', 'user side');
    const conflicted = await call<MergePreview>('landing.preview', { id: started.id });
    assert.equal(conflicted.clean, false);
    assert.deepEqual(
      conflicted.conflicts.map((c) => [c.path, c.ours, c.theirs]),
      [['feature.txt', 'user side\n', 'agent side\n']],
    );
    const requestsBefore = messages.requests.length;
    const handed = await call<{ files: string[] }>('landing.resolve', { id: started.id });
    assert.deepEqual(handed.files, ['feature.txt']);
    const deadline = Date.now() + 20_000;
    while (messages.requests.length < requestsBefore + 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await settled(started.id);
    const task = JSON.stringify(messages.requests[requestsBefore]?.body);
    assert.match(task, /conflicts with main/);
    assert.match(task, /user side/);
    assert.equal(
      readFileSync(join(repo, 'feature.txt'), 'utf8'),
      'user side\n',
      "the user's checkout untouched",
    );

    const resolved = await call<MergePreview>('landing.preview', { id: started.id });
    assert.equal(resolved.clean, true);
    const landed = await call<LandResult>('landing.land', { id: started.id, gates: false });
    assert.equal(landed.landed, true, landed.reason ?? '');
    assert.equal(readFileSync(join(repo, 'feature.txt'), 'utf8'), 'resolved\n');
  });

  test('a failing gate keeps the merge out; once the check passes it lands', async () => {
    // The user's branch now requires ok.txt: the gate is read from the target, not from the agent's work.
    writeFileSync(
      join(repo, '.troika', 'project.json'),
      JSON.stringify({ detect: false, gates: [{ name: 'needs-ok', command: 'test -f ok.txt' }] }),
    );
    g(repo, 'commit', '-q', '-am', 'require ok.txt');
    const started = await call<AgentSummary>('agent.start', { task: 'Fourth go', workspace: repo });
    await settled(started.id);
    const before = g(repo, 'rev-parse', 'main');
    const failed = await call<LandResult>('landing.land', { id: started.id, runId: 'run-fail' });
    assert.equal(failed.landed, false);
    assert.match(failed.reason ?? '', /Gate failed: needs-ok/);
    assert.deepEqual(
      failed.gates.map((gate) => [gate.name, gate.status, gate.exitCode]),
      [['needs-ok', 'failed', 1]],
    );
    assert.equal(g(repo, 'rev-parse', 'main'), before, 'nothing landed');
    assert.equal(g(repo, 'status', '--porcelain'), '');

    writeFileSync(join(repo, 'ok.txt'), 'ok\n');
    g(repo, 'add', 'ok.txt');
    g(repo, 'commit', '-q', '-m', 'add ok.txt');
    const passed = await call<LandResult>('landing.land', { id: started.id, runId: 'run-pass' });
    assert.equal(passed.landed, true, passed.reason ?? '');
    assert.deepEqual(
      passed.gates.map((gate) => gate.status),
      ['passed'],
    );
    assert.equal(readFileSync(join(repo, 'feature.txt'), 'utf8'), 'fourth\n');
  });

  test('after a restart, landed branches whose terminals are gone are cleaned automatically', async () => {
    assert.notEqual(g(repo, 'branch', '--list', landedBranch), '');
    await backend.dispose();
    restarted = await createBackend({
      config: { dataDir: join(dir, 'data'), apiKey: messages.apiKey, baseURL: messages.url },
      host: 'web',
    });
    const entries = (await restarted.router.dispatch(
      'landing.worktrees',
      {},
      {
        connectionId: 'test',
      },
    )) as WorktreeEntry[];
    assert.equal(g(repo, 'branch', '--list', landedBranch), '', 'merged: removed');
    assert.equal(g(repo, 'branch', '--list', 'troika/*'), '');
    assert.deepEqual(entries, []);
    assert.equal(g(repo, 'status', '--porcelain'), '');
  });
});
