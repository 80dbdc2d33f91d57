import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { integrationBranch } from './ports.ts';
import { task } from './testing/fixtures.ts';
import { planHarness, type Harness } from './testing/plan-harness.ts';

let harness: Harness | undefined;
afterEach(() => {
  harness?.dispose();
  harness = undefined;
});

describe('plan scheduler on a real repository', () => {
  test('runs waves in order, holds overlapping tasks apart, retries a failing gate with its output, merges every task', async () => {
    let cSawB: string | null = null;
    harness = await planHarness(
      [
        task('a', { files: ['src/a.ts'] }),
        task('b', { dependencies: ['a'], files: ['src/api/**'] }),
        task('c', { dependencies: ['a'], files: ['src/api/users.ts'] }),
        task('d', { dependencies: ['a'], files: ['docs/**'] }),
        task('e', { dependencies: ['b', 'c', 'd'], files: ['src/index.ts'] }),
      ],
      {
        a: () => ({ 'src/a.ts': 'export const a = 1;\n' }),
        // The first attempt leaves a bug the gate catches; the retry is told and fixes it.
        b: ({ feedback }) => ({
          'src/api/index.ts': feedback?.includes('BUG in src/api/index.ts')
            ? 'export {};\n'
            : '// BUG\n',
        }),
        c: ({ read }) => {
          cSawB = read('src/api/index.ts');
          return { 'src/api/users.ts': 'export const users = [];\n' };
        },
        d: () => ({ 'docs/guide.md': '# guide\n' }),
        e: ({ read }) => ({ 'src/index.ts': `// sees ${read('src/a.ts') ? 'a' : 'nothing'}\n` }),
      },
    );
    const { runner, ports, store, planId } = harness;
    await runner.start();
    assert.equal(await runner.settled(), 'done');

    const branch = integrationBranch(store.get(planId)!.slug);
    for (const path of ['src/a.ts', 'src/api/index.ts', 'src/api/users.ts', 'docs/guide.md']) {
      assert.notEqual(await ports.show(branch, path), null, `${path} is on ${branch}`);
    }
    assert.equal(await ports.show(branch, 'src/api/index.ts'), 'export {};');
    assert.equal(await ports.show(branch, 'src/index.ts'), '// sees a');
    // c overlaps b: it started only once b was merged, from a tip holding b's work.
    assert.equal(cSawB, 'export {};\n');
    assert.ok(ports.concurrent.every((set) => set.length <= 3));
    assert.ok(!ports.concurrent.some((set) => set.includes('b') && set.includes('c')));

    const bCalls = ports.calls.filter((c) => c.taskId === 'b');
    assert.deepEqual(
      bCalls.map((c) => c.attempt),
      [1, 2],
    );
    assert.equal(bCalls[0]!.feedback, null);
    assert.match(bCalls[1]!.feedback ?? '', /gate failed: BUG in src\/api\/index\.ts/);
    assert.deepEqual(ports.calls.filter((c) => c.taskId === 'a').length, 1);

    const evidence = store.evidence(planId, 'b');
    const gates = evidence
      .filter((e) => e.kind === 'gate')
      .map((e) => [e.data.where, e.data.passed]);
    assert.deepEqual(gates, [
      ['task', false],
      ['task', true],
      ['integration', true],
    ]);
    assert.ok(evidence.some((e) => e.kind === 'merge' && e.data.status === 'merged'));
    assert.ok(store.progress(planId).every((p) => p.state === 'merged' && p.mergedCommit));
    assert.equal(store.get(planId)!.state, 'done');
  });

  test('a task that keeps failing escalates to the stronger model, then to the user; a retry by the user lands it', async () => {
    let fixed = false;
    harness = await planHarness(
      [task('x', { files: ['x.txt'] }), task('y', { dependencies: ['x'], files: ['y.txt'] })],
      {
        x: () => ({ 'x.txt': fixed ? 'fine\n' : 'BUG\n' }),
        y: () => ({ 'y.txt': 'y\n' }),
      },
      { strongerModel: 'claude-opus-5-5', maxAttempts: 3 },
    );
    const { runner, ports, store, planId } = harness;
    await runner.start();
    assert.equal(await runner.settled(), 'blocked');
    assert.deepEqual(
      ports.calls.map((c) => [c.taskId, c.model]),
      [
        ['x', 'claude-sonnet-5-5'],
        ['x', 'claude-sonnet-5-5'],
        ['x', 'claude-sonnet-5-5'],
        ['x', 'claude-opus-5-5'],
      ],
    );
    assert.equal(runner.progress('x').state, 'needs_user');
    assert.equal(runner.progress('y').state, 'waiting');
    assert.equal(store.get(planId)!.stateReason, 'Needs you: x');
    const escalations = store
      .evidence(planId, 'x')
      .filter((e) => e.kind === 'escalation' && e.data.escalatedTo !== null)
      .map((e) => e.data.escalatedTo);
    assert.deepEqual(escalations, ['stronger', 'user']);

    fixed = true;
    runner.retryTask('x');
    assert.equal(await runner.settled(), 'done');
    assert.equal(runner.progress('x').attempts, 5);
    assert.equal(runner.progress('y').state, 'merged');
  });

  test('a merge conflict goes back to the task’s agent, which resolves it from the new tip', async () => {
    const append =
      (line: string) =>
      ({ read }: { read: (p: string) => string | null }) => ({
        'shared.txt': `${read('shared.txt') ?? ''}${line}\n`,
      });
    // No declared files: the scheduler cannot know they collide, so they run together and the merge finds out.
    harness = await planHarness([task('p'), task('q')], {
      p: append('from p'),
      q: append('from q'),
    });
    const { runner, ports, store, planId } = harness;
    await runner.start();
    assert.equal(await runner.settled(), 'done');
    const shared =
      (await ports.show(integrationBranch(store.get(planId)!.slug), 'shared.txt')) ?? '';
    assert.deepEqual(shared.split('\n').sort(), ['from p', 'from q']);
    const conflicts = store
      .evidence(planId)
      .filter((e) => e.kind === 'merge' && e.data.status === 'conflict');
    assert.equal(conflicts.length, 1);
    assert.deepEqual(conflicts[0]!.data.files, ['shared.txt']);
    const retried = ports.calls.find((c) => c.attempt === 2);
    assert.match(retried?.feedback ?? '', /conflicts in shared\.txt/);
  });

  test('a merge train: the next task is merged onto the merge ahead and gated alongside it', async () => {
    harness = await planHarness([task('a'), task('b')], {
      a: () => ({ 'a.txt': 'a\n' }),
      b: () => ({ 'b.txt': 'b\n' }),
    });
    const { runner, ports, store, planId } = harness;
    // b finishes building only once a is being gated on the integrated result...
    let aGateStarted: () => void = () => undefined;
    const aGate = new Promise<void>((resolve) => (aGateStarted = resolve));
    ports.beforeCommit = async (request) => {
      if (request.task.id === 'b') await aGate;
    };
    // ...and a's gate goes on only once b's has started: without a train, b would wait for a forever.
    let bGateStarted: () => void = () => undefined;
    const bGate = new Promise<void>((resolve) => (bGateStarted = resolve));
    const gateRefs: Record<string, string> = {};
    const gates = ports.gates.bind(ports);
    ports.gates = async (request) => {
      if (request.where === 'integration') {
        gateRefs[request.taskId] = request.ref;
        if (request.taskId === 'b') bGateStarted();
        else {
          aGateStarted();
          await bGate;
        }
      }
      return gates(request);
    };
    await runner.start();
    assert.equal(await runner.settled(), 'done');
    const merged = Object.fromEntries(
      store.progress(planId).map((p) => [p.taskId, p.mergedCommit]),
    );
    // b was merged onto a's merge while a was gated, and landed as gated.
    assert.equal(
      await ports.git('rev-parse', `${merged['b']}^1`),
      merged['a'],
      // On a failure, what each attempt, gate and merge recorded says why.
      JSON.stringify(store.evidence(planId).map((e) => [e.taskId, e.kind, e.data])),
    );
    assert.equal(gateRefs['b'], merged['b']);
    const branch = integrationBranch(store.get(planId)!.slug);
    assert.equal(await ports.show(branch, 'a.txt'), 'a');
    assert.equal(await ports.show(branch, 'b.txt'), 'b');
  });

  test('when the merge ahead fails its gates, the one behind is merged again onto the real tip', async () => {
    harness = await planHarness([task('a'), task('b')], {
      a: () => ({ 'a.txt': 'a\n' }),
      b: () => ({ 'b.txt': 'b\n' }),
    });
    const { runner, ports, store, planId } = harness;
    let built = 0;
    let bothBuilt: () => void = () => undefined;
    const together = new Promise<void>((resolve) => (bothBuilt = resolve));
    ports.beforeCommit = async () => {
      if (++built === 2) bothBuilt();
      await together;
    };
    // The first integrated gate fails (as a flaky check would); the one behind it must not land on it.
    let failed: string | null = null;
    let secondStarted: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (secondStarted = resolve));
    const gates = ports.gates.bind(ports);
    ports.gates = async (request) => {
      if (request.where !== 'integration') return gates(request);
      if (failed === null) {
        failed = request.ref;
        await second;
        return { passed: false, output: 'flaky check failed' };
      }
      secondStarted();
      return gates(request);
    };
    await runner.start();
    assert.equal(await runner.settled(), 'done');
    const progress = store.progress(planId);
    assert.ok(progress.every((p) => p.state === 'merged'));
    const tip = await ports.git('rev-parse', integrationBranch(store.get(planId)!.slug));
    const history = (await ports.git('rev-list', tip)).split('\n');
    assert.ok(!history.includes(failed ?? ''), 'the failed merge never landed');
    for (const p of progress) assert.ok(history.includes(p.mergedCommit ?? ''), p.taskId);
    const failedTask = store
      .evidence(planId)
      .find((e) => e.kind === 'gate' && e.data.where === 'integration' && e.data.passed === false);
    assert.ok(failedTask, 'the failed gate is evidence on its task');
  });
});
