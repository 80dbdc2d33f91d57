import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { PtyManager } from './pty-manager.ts';
import { isRunning } from './process-alive.ts';
import {
  activeResources,
  type Recorder,
  shScript,
  spawnRecorded,
  TEST_SHELL,
} from './test-helpers.ts';

describe('PtyManager', () => {
  let manager: PtyManager;
  let dir: string;
  const recorders: Recorder[] = [];
  before(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-pty-')));
  });
  afterEach(async () => {
    for (const r of recorders.splice(0)) r.dispose();
    await manager?.dispose();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const spawn = (options: Parameters<PtyManager['spawn']>[0]) => {
    const spawned = spawnRecorded(manager, options);
    recorders.push(spawned.out);
    return spawned;
  };

  test('a session runs the shell in the given cwd, env and size, and answers what is typed', async () => {
    manager = new PtyManager();
    const { session, out } = spawn({
      ...TEST_SHELL,
      cols: 91,
      rows: 17,
      cwd: dir,
      env: { ...TEST_SHELL.env, TROIKA_TEST_VAR: 'from-env' },
    });
    await out.untilText('PROMPT$ ');
    session.write('echo "[$PWD|$TROIKA_TEST_VAR|$(stty size)]"\r');
    await out.untilText(`[${dir}|from-env|17 91]`);
  });

  test('without a shell it runs the default shell', async () => {
    manager = new PtyManager({
      defaultShell: () => ({ file: '/bin/sh', args: ['-c', 'echo "default:$0"'] }),
    });
    const { session, out } = spawn({ cols: 80, rows: 24, cwd: dir });
    await out.untilExit();
    assert.equal(session.shell, '/bin/sh');
    assert.match(out.text, /default:\/bin\/sh/);
  });

  test('a resize reaches the program as its new window size', async () => {
    manager = new PtyManager();
    const { session, out } = spawn(TEST_SHELL);
    await out.untilText('PROMPT$ ');
    session.resize(120, 40);
    session.write('stty size\r');
    await out.untilText('40 120');
    assert.deepEqual([session.info().cols, session.info().rows], [120, 40]);
  });

  test('the exit code is reported', async () => {
    manager = new PtyManager();
    const { out } = spawn(shScript('exit 3'));
    await out.untilExit();
    assert.deepEqual(out.exit, { exitCode: 3, signal: null });
  });

  test('a kill reports the signal that ended the process', async () => {
    manager = new PtyManager();
    const { session, out } = spawn(shScript('echo ready; sleep 30'));
    await out.untilText('ready');
    session.kill('SIGKILL');
    await out.untilExit();
    assert.equal(out.exit?.signal, 'SIGKILL');
    assert.equal(session.info().signal, 'SIGKILL');
  });

  test('list shows every session with its state, exited ones until closed', async () => {
    manager = new PtyManager();
    const running = spawn(shScript('sleep 30')).session;
    const done = spawn(shScript('exit 5'));
    await done.out.untilExit();
    const listed = manager.list().map((s) => s.info());
    assert.deepEqual(
      listed.map(({ id, alive, exitCode, name, kind }) => ({ id, alive, exitCode, name, kind })),
      [
        { id: running.id, alive: true, exitCode: null, name: 'Shell 1', kind: 'shell' },
        { id: done.session.id, alive: false, exitCode: 5, name: 'Shell 2', kind: 'shell' },
      ],
    );
    await manager.close(done.session.id);
    assert.deepEqual(
      manager.list().map((s) => s.id),
      [running.id],
    );
  });

  test('the API key in the backend environment does not reach the terminal', async () => {
    manager = new PtyManager({ env: { ...process.env, ANTHROPIC_API_KEY: 'sk-secret-value' } });
    const { out } = spawn(shScript('echo "key=[${ANTHROPIC_API_KEY-unset}] term=$TERM"'));
    await out.untilExit();
    assert.match(out.text, /key=\[unset\] term=xterm-256color/);
  });

  test('six sessions at once each get only their own input and output', async () => {
    manager = new PtyManager();
    const sessions = Array.from({ length: 6 }, () => spawn(TEST_SHELL));
    await Promise.all(sessions.map(({ out }) => out.untilText('PROMPT$ ')));
    sessions.forEach(({ session }, i) =>
      session.write(`for n in 1 2 3; do echo "mark-${i}-$n-$$"; done\r`),
    );
    await Promise.all(
      sessions.map(({ session, out }, i) => out.untilText(`mark-${i}-3-${session.pid}`)),
    );
    sessions.forEach(({ session, out }, i) => {
      const marks = out.text.match(/mark-\d-\d-\d+/g) ?? [];
      assert.deepEqual(
        marks,
        [1, 2, 3].map((n) => `mark-${i}-${n}-${session.pid}`),
        `session ${i} saw only its own output`,
      );
    });
  });

  test('disposing frees every process, listener and timer', async () => {
    const baseline = activeResources();
    manager = new PtyManager();
    const shells = [spawn(TEST_SHELL), spawn(TEST_SHELL), spawn(shScript('yes'))];
    await Promise.all(shells.slice(0, 2).map(({ out }) => out.untilText('PROMPT$ ')));
    // A foreground child of the shell, to see it go too.
    shells[0]?.session.write('sleep 60\r');
    await shells[2]?.out.untilText('y\r\ny');
    const shellPids = shells.map(({ session }) => session.pid);
    const sleepPid = await childOf(shellPids[0] ?? 0, 'sleep');
    const pids = [...shellPids, ...(sleepPid === undefined ? [] : [sleepPid])];
    for (const r of recorders.splice(0)) r.dispose();
    await manager.dispose();
    assert.deepEqual(pids.filter(isRunning), [], 'no spawned process survives');
    assert.deepEqual(
      shells.map(({ session }) => session.listenerCount),
      [0, 0, 0],
    );
    // node-pty's socket closes on the next turn after exit.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(activeResources(), baseline, 'no timer, socket or TTY handle is left');
  });
});

/**
 * The first child of `pid` (Linux /proc) once it runs `program`, waiting
 * briefly; undefined where /proc cannot tell. Until the child has exec'd, the
 * shell may not have made it the terminal's foreground job, the one the
 * kernel's hangup reaches.
 */
async function childOf(pid: number, program: string): Promise<number | undefined> {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(file)) return undefined;
  for (let i = 0; i < 100; i++) {
    const child = Number(readFileSync(file, 'utf8').trim().split(' ')[0]);
    const name = child > 0 ? readFileSync(`/proc/${child}/comm`, 'utf8').trim() : '';
    if (name === program) return child;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`process ${pid} started no ${program}`);
}
