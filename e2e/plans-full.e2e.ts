/**
 * A whole plan end to end, as a user runs it: web mode in Chromium against
 * the scripted Messages API server, on a real git repository whose gate is
 * its package.json `test` script. Seven tasks in four waves, where
 *  - Alpha's gate fails and its output goes back to the same agent, which
 *    fixes it on its second attempt;
 *  - Bravo and Charlie declare the same file: the scheduler holds Charlie
 *    until Bravo merged (Charlie's first request finds Bravo's work on the
 *    integration branch);
 *  - Delta and Echo write the same undeclared file: Echo's merge conflicts,
 *    goes back to Echo's agent, which resolves it, and Echo merges;
 *  - Foxtrot's gate keeps failing through its attempts and the stronger
 *    model's, reaches the "needs you" list, and the user sends it back from
 *    there; the stronger model's agent fixes it;
 *  - Golf's gate fails, and the backend is killed (SIGKILL) while Golf's
 *    agent works on the retry; started again on the same data folder, the
 *    plan resumes from that step: Golf's retry continues its branch, told
 *    the gate's output, and no merged task's agent starts again.
 * At the end the integration branch holds every task's change and its gate
 * passes there; the user's branch is untouched. The scripted models decide
 * from what they are sent (their task, the gate output, the conflict, the
 * model they run as); the test observes through the UI, git and the
 * requests the server recorded.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { RecordedRequest } from '../backend/testing/messages-server/index.ts';
import { saveScreenshot } from './support/chromium.ts';
import {
  describeRequest,
  notifications,
  openConsole,
  type AgentRequest,
} from './support/console.ts';
import {
  fileAt,
  git,
  openPlan,
  PLAN_RUN_TIMEOUT_MS,
  planDialog,
  savePlan,
  taskCard,
  taskStates,
  waitForPlanState,
  waitForTaskState,
} from './support/plans.ts';
import { consoleSuite } from './support/suite.ts';

const STRONGER = 'claude-opus-4-5';
const BRANCH = 'troika/plan-full';

/** The gate: fails while a file under parts/ says BUG, or a conflict is left in a file. */
const CHECK = `import { existsSync, readdirSync, readFileSync } from 'node:fs';
const files = ['notes.txt', 'shared/list.txt'];
if (existsSync('parts')) files.push(...readdirSync('parts').map((f) => 'parts/' + f));
const text = (f) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
const bad = files.filter((f) => text(f).includes('BUG') || text(f).includes('<<<<<<<'));
if (bad.length) { console.error('BUG found in ' + bad.join(', ')); process.exit(1); }
console.log('all parts ok');
`;

const bash = (command: string) => ({ toolUses: [{ name: 'bash', input: { command } }] });
const finish = { toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary: 'Done.' } }] };
/** Runs `command` on the first step, finishes on the next. */
const writes =
  (command: string) =>
  ({ step }: AgentRequest) =>
    step === 0 ? bash(command) : finish;
const modelOf = (request: RecordedRequest) => (request.body as { model?: string }).model;

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** What the scenarios saw or wait for; the repository is made by the test. */
const world = {
  repo: '',
  /** 1 until the backend is killed; Golf's retry request in life 1 is held until then. */
  life: 1,
  charlieSaw: null as string | null,
  /** The task the agent that picked Golf up after the restart was given. */
  golfResumedWith: '',
  golfAsked: signal(),
  golfReleased: signal(),
};

const scenarios = {
  // The gate's output comes back to the same agent: it fixes what the gate named.
  'Task Alpha': ({ step, lastUser }: AgentRequest) => {
    if (step === 0) return bash('mkdir -p parts && echo BUG > parts/a.txt');
    if (step === 2 && lastUser.includes('BUG found in parts/a.txt'))
      return bash('echo a > parts/a.txt');
    return finish;
  },
  'Task Bravo': writes('mkdir -p shared && echo bravo >> shared/list.txt'),
  'Task Charlie': ({ step }: AgentRequest) => {
    if (step !== 0) return finish;
    world.charlieSaw = fileAt(world.repo, BRANCH, 'shared/list.txt');
    return bash('mkdir -p shared && echo charlie >> shared/list.txt');
  },
  'Task Delta': writes('echo delta > notes.txt'),
  // Writes notes.txt once Delta's has landed (its shell waits for it): its own branch, forked before, then conflicts.
  'Task Echo': ({ step, lastUser }: AgentRequest) => {
    if (step === 0)
      return bash(
        `for i in $(seq 600); do git cat-file -e ${BRANCH}:notes.txt 2>/dev/null && break; sleep 0.2; done; echo echo > notes.txt`,
      );
    if (step === 2 && lastUser.includes('conflicts in: notes.txt'))
      return bash("printf 'delta\\necho\\n' > notes.txt");
    return finish;
  },
  // Only the stronger model, sent back by the user, gets it right.
  'Task Foxtrot': ({ step, request }: AgentRequest) => {
    if (step % 2 === 1) return finish;
    if (modelOf(request) === STRONGER && step >= 2) return bash('echo f > parts/f.txt');
    return bash('mkdir -p parts && echo BUG > parts/f.txt');
  },
  // Leaves a BUG; its retry is held until the backend is killed. The agent that picks it up
  // after the restart writes it right (what it was told is asserted, not trusted).
  'Task Golf': async ({ step, task }: AgentRequest) => {
    if (world.life === 1) {
      if (step === 0) return bash('mkdir -p parts && echo BUG > parts/g.txt');
      if (step === 2) {
        world.golfAsked.resolve();
        await world.golfReleased.promise;
      }
      return finish;
    }
    if (step === 0) world.golfResumedWith = task;
    return step === 0 ? bash('echo g > parts/g.txt') : finish;
  },
};

const TASKS = [
  { id: 1, title: 'Task Alpha', dependencies: [], files: ['parts/a.txt'] },
  { id: 2, title: 'Task Bravo', dependencies: [], files: ['shared/list.txt'] },
  { id: 3, title: 'Task Charlie', dependencies: [], files: ['shared/list.txt'] },
  { id: 4, title: 'Task Delta', dependencies: [1], files: [] },
  { id: 5, title: 'Task Echo', dependencies: [1], files: [] },
  { id: 6, title: 'Task Foxtrot', dependencies: [2], files: ['parts/f.txt'] },
  { id: 7, title: 'Task Golf', dependencies: [3, 4, 5, 6], files: ['parts/g.txt'] },
];

function tasksJson(): string {
  return JSON.stringify({
    tasks: TASKS.map(({ files, ...t }) => ({
      ...t,
      description: `Do ${t.title}`,
      metadata: { troika: { files } },
    })),
  });
}

describe('a whole plan, as a user runs it', () => {
  const suite = consoleSuite(scenarios);

  /** The builder requests of a task's agents (its reviewer's are not). */
  const builderRequests = (title: string) =>
    suite.server.messageRequests.map(describeRequest).filter((r) => r.task.startsWith(title));
  /** How many agents started on a task: their first requests. */
  const agentsStarted = (title: string) =>
    builderRequests(title).filter((r) => r.step === 0).length;

  test('seven tasks in four waves: a gate fixed on retry, an overlap held, a conflict resolved, an escalation to the user, a crash survived', async () => {
    const repo = suite.workspaces.repo('plan-full', {
      'package.json': JSON.stringify({ scripts: { test: 'node check.mjs' } }),
      'check.mjs': CHECK,
    });
    world.repo = repo;
    const main = git(repo, 'rev-parse', 'main');

    // Import the plan's tasks.json, as a user does: it is checked (the dry run holds Charlie apart), saved, started.
    const first = await openConsole(suite.browser, suite.app, { recordNotifications: true });
    let page = first.page;
    await savePlan(page, tasksJson(), {
      name: 'Full',
      repo,
      strongerModel: STRONGER,
      maxAttempts: 2,
      asFile: true,
    });
    const holds = planDialog(page).locator('li[data-kind="overlap"]');
    assert.match(await holds.innerText(), /"3" is held apart from "2"/);
    await openPlan(page, 'full');
    const waves = await planDialog(page)
      .locator('[data-wave]')
      .evaluateAll((columns) =>
        columns.map((c) =>
          [...c.querySelectorAll('[data-task]')].map((t) => t.getAttribute('data-task')),
        ),
      );
    assert.deepEqual(waves, [['1', '2'], ['3', '4', '5'], ['6'], ['7']]);
    await planDialog(page).getByRole('button', { name: 'Start', exact: true }).click();
    await page.keyboard.press('Escape');
    await planDialog(page).waitFor({ state: 'detached' });

    // Foxtrot fails its two attempts and the stronger model's: it comes to the user.
    const needsYou = page.getByRole('button', { name: /needs? you$/ });
    await needsYou.waitFor({ timeout: PLAN_RUN_TIMEOUT_MS });
    await needsYou.click();
    const escalation = page
      .locator('[data-needs-you="escalation"]')
      .filter({ hasText: 'Task Foxtrot' });
    await escalation.click();
    await waitForTaskState(page, '6', 'needs_user');
    await saveScreenshot(page, 'plan-full-needs-you');
    const told = await notifications(page);
    assert.ok(
      told.some((n) => n.title === 'A plan task needs you' && n.body.includes('Task Foxtrot')),
      `a notification said so at once: ${JSON.stringify(told)}`,
    );
    assert.match(await taskCard(page, '6').innerText(), /attempts 3/);
    const foxtrotModels = builderRequests('Task Foxtrot').map((r) => modelOf(r.request));
    assert.ok(
      foxtrotModels.includes(STRONGER),
      `the stronger model tried Foxtrot: ${foxtrotModels.join(', ')}`,
    );
    await taskCard(page, '6').getByRole('button', { name: 'Retry' }).click();

    // Golf starts once all six before it merged; its gate fails; the backend dies while it retries.
    await world.golfAsked.promise;
    await waitForTaskState(page, '7', 'running');
    const before = await taskStates(page);
    assert.deepEqual(
      ['1', '2', '3', '4', '5', '6'].map((id) => before[id]),
      Array(6).fill('merged'),
      JSON.stringify(before),
    );
    assert.match(await taskCard(page, '7').innerText(), /attempts 2/);
    const mergedBeforeKill = git(repo, 'rev-parse', BRANCH);
    const golfBranch = git(repo, 'branch', '--list', '--format=%(refname:short)', 'troika/*golf*');
    assert.match(golfBranch, /^\S+$/, 'one agent worked on Golf before the crash');
    await first.context.close();
    await suite.app.kill();
    world.life = 2;
    world.golfReleased.resolve();
    await suite.app.start();

    // The plan resumes by itself at start-up; the user opens it and watches it finish.
    const second = await openConsole(suite.browser, suite.app);
    page = second.page;
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await openPlan(page, 'full');
    await waitForPlanState(page, 'done');
    await saveScreenshot(page, 'plan-full-done');
    const after = await taskStates(page);
    assert.deepEqual(Object.values(after), Array(7).fill('merged'), JSON.stringify(after));
    assert.match(await taskCard(page, '1').innerText(), /attempts 2/);
    assert.match(await taskCard(page, '5').innerText(), /attempts 2/);
    assert.match(await taskCard(page, '6').innerText(), /attempts 4/);
    assert.match(await taskCard(page, '7').innerText(), /attempts 3/);

    // (a) The failing gate's output went back to Alpha's one agent, which fixed it.
    assert.equal(agentsStarted('Task Alpha'), 1);
    assert.ok(
      builderRequests('Task Alpha').some((r) => r.lastUser.includes('BUG found in parts/a.txt')),
    );
    // (c) Charlie's agent started only after Bravo's work was on the integration branch.
    assert.equal(world.charlieSaw, 'bravo', 'Charlie was held until Bravo merged');
    const lastBravo = Math.max(...builderRequests('Task Bravo').map((r) => r.request.index));
    const firstCharlie = Math.min(...builderRequests('Task Charlie').map((r) => r.request.index));
    assert.ok(lastBravo < firstCharlie, `Bravo ${lastBravo} before Charlie ${firstCharlie}`);
    // (d) Echo's merge conflict went back to Echo's one agent, which resolved it.
    assert.equal(agentsStarted('Task Echo'), 1);
    assert.ok(
      builderRequests('Task Echo').some((r) => r.lastUser.includes('conflicts in: notes.txt')),
    );
    // (b) Foxtrot: two attempts at the plan's model, then the stronger model's agent, twice.
    assert.deepEqual(
      builderRequests('Task Foxtrot')
        .filter((r) => r.step % 2 === 0)
        .map((r) => modelOf(r.request) === STRONGER),
      [false, false, true, true],
    );
    // (e) No merged task's agent started again after the restart; Golf's did.
    for (const title of ['Task Bravo', 'Task Charlie', 'Task Delta'])
      assert.equal(agentsStarted(title), 1, title);
    assert.equal(agentsStarted('Task Foxtrot'), 2);
    assert.equal(agentsStarted('Task Golf'), 2);
    assert.match(world.golfResumedWith, /did not pass/);
    assert.match(world.golfResumedWith, /BUG found in parts\/g\.txt/);
    assert.equal(
      git(repo, 'merge-base', '--is-ancestor', golfBranch, BRANCH),
      '',
      'the work of Golf’s first agent went on and merged',
    );
    assert.equal(
      git(repo, 'merge-base', '--is-ancestor', mergedBeforeKill, BRANCH),
      '',
      'the work merged before the crash is kept',
    );

    // The integration branch holds every task's change, and its gate passes there.
    assert.deepEqual(
      ['parts/a.txt', 'shared/list.txt', 'notes.txt', 'parts/f.txt', 'parts/g.txt'].map((f) =>
        fileAt(repo, BRANCH, f),
      ),
      ['a', 'bravo\ncharlie', 'delta\necho', 'f', 'g'],
    );
    const check = mkdtempSync(join(tmpdir(), 'troika-plan-full-check-'));
    try {
      git(repo, 'worktree', 'add', '--detach', join(check, 'tree'), BRANCH);
      const out = execFileSync('npm', ['test', '--silent'], {
        cwd: join(check, 'tree'),
        stdio: 'pipe',
      });
      assert.match(out.toString(), /all parts ok/);
    } finally {
      git(repo, 'worktree', 'remove', '--force', join(check, 'tree'));
      rmSync(check, { recursive: true, force: true });
    }
    // The user's branch and checkout are untouched.
    assert.equal(git(repo, 'rev-parse', 'main'), main);
    assert.equal(git(repo, 'symbolic-ref', '--short', 'HEAD'), 'main');
    assert.equal(git(repo, 'status', '--porcelain'), '');
    await second.context.close();
  });
});
