import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { launch, launchChecked, launcherPid, launchStreaming } from './process-launcher.ts';

describe('process launcher', () => {
  test('runs a command from its own small process, with cwd, env and input', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-launch-')));
    const result = await launch(
      'sh',
      ['-c', 'echo "$PPID|$PWD|$GREETING"; cat; echo err >&2; exit 3'],
      {
        cwd: dir,
        env: { ...process.env, GREETING: 'hello' },
        input: 'from stdin\n',
      },
    );
    assert.equal(result.code, 3);
    assert.equal(result.error, null);
    assert.equal(result.stderr, 'err\n');
    const [ppid, cwd, greeting] = (result.stdout.split('\n')[0] ?? '').split('|');
    assert.equal(cwd, dir);
    assert.equal(greeting, 'hello');
    assert.equal(result.stdout.split('\n')[1], 'from stdin');
    // Started by the helper, not by this process: the backend's event loop never waited on fork().
    assert.equal(Number(ppid), launcherPid());
    assert.notEqual(Number(ppid), process.pid);
  });

  test('a missing program, a time limit and too much output are errors that say so', async () => {
    const missing = await launch('troika-no-such-program', []);
    assert.equal(missing.code, null);
    assert.equal(missing.error?.code, 'ENOENT');

    const slow = await launch('sleep', ['5'], { timeoutMs: 100 });
    assert.equal(slow.code, null);
    assert.equal(slow.signal, 'SIGTERM');
    assert.notEqual(slow.error, null);

    const loud = await launch('sh', ['-c', 'head -c 100000 /dev/zero'], { maxBuffer: 1000 });
    assert.equal(loud.error?.code, 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER');

    await assert.rejects(launchChecked('sh', ['-c', 'echo nope >&2; exit 2']), (error: Error) => {
      assert.equal((error as Error & { code: unknown }).code, 2);
      assert.match(error.message, /nope/);
      return true;
    });
  });

  test('a command in flight when the helper dies fails saying so; the next one starts a new helper', async () => {
    await launch('true', []);
    const first = launcherPid();
    assert.ok(first !== undefined);
    const running = launch('sleep', ['2']);
    process.kill(first, 'SIGKILL');
    await assert.rejects(
      running,
      /the process launcher exited \(SIGKILL\).*may or may not have run/,
    );
    const again = await launch('sh', ['-c', 'echo $PPID']);
    assert.equal(again.code, 0);
    assert.notEqual(launcherPid(), first);
    assert.equal(Number(again.stdout.trim()), launcherPid());
  });

  test('TROIKA_PROCESS_LAUNCHER=0 starts commands from the backend itself', () => {
    const script = `
      import { launch, launcherPid } from ${JSON.stringify(new URL('./process-launcher.ts', import.meta.url).href)};
      const result = await launch('sh', ['-c', 'echo $PPID']);
      console.log(JSON.stringify({ ppid: Number(result.stdout.trim()), pid: process.pid, helper: launcherPid() ?? null }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TROIKA_PROCESS_LAUNCHER: '0' },
      encoding: 'utf8',
    });
    const { ppid, pid, helper } = JSON.parse(out) as { ppid: number; pid: number; helper: null };
    assert.equal(ppid, pid);
    assert.equal(helper, null);
  });

  test('a streamed command hands over its output as it comes, its pid, then its exit', async () => {
    const chunks: string[] = [];
    let pid: number | undefined;
    let sawFirstBeforeExit = false;
    const result = await launchStreaming(
      'sh',
      ['-c', 'printf "one\\n"; sleep 0.3; printf "é two\\n" >&2; exit 4'],
      {
        detached: true,
        onPid: (started) => (pid = started),
        onData: (text) => {
          chunks.push(text);
          if (chunks.length === 1) sawFirstBeforeExit = true;
        },
      },
    );
    assert.equal(result.code, 4);
    assert.equal(chunks.join(''), 'one\né two\n');
    assert.ok(sawFirstBeforeExit);
    assert.ok(pid !== undefined && pid !== process.pid);
  });

  test('a streamed command in its own group can be ended with the group', async () => {
    let pid: number | undefined;
    const running = launchStreaming('sh', ['-c', 'sleep 30 & sleep 30; echo never'], {
      detached: true,
      onPid: (started) => (pid = started),
      onData: () => undefined,
    });
    while (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    process.kill(-pid, 'SIGKILL');
    const result = await running;
    assert.equal(result.signal, 'SIGKILL');
    assert.equal(result.code, null);
  });
});
